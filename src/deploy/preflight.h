#pragma once
// What an instance needs on the machine it starts on, worked out at build
// time from its pm-specific config and checked by `switch` before it stops
// anything: a switch that cannot start an instance is refused while the old
// processes still run.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/state_dirs.h"

namespace nixproc {

using json = nlohmann::json;

struct ManifestInstance;

// From the `process`, `pidFile`, `path`, `initialize`, `args` and
// `environment` fields of a pm-specific config (sysvinit, disnix and the
// supervising backends have them; for others nothing is recorded). Throws,
// naming `context` and the field, for what can never start: an empty process,
// an empty or relative pidFile, arguments beyond the exec limits. The result
// is the manifest's `launch` entry (an empty object: nothing to check).
json launch_needs(const json& config, const std::string& context);

// Where `name` is found on `search_path` (':'-separated): an executable
// regular file, or "".
std::string find_on_path(const std::string& name, const std::string& search_path);

// The problems that would make these instances fail to start here, one
// message each naming the instance and field: an executable that is missing
// or not executable, a PID file whose directory does not exist (and that
// `initialize` does not create), a PID file that is someone's data.
std::vector<std::string> preflight_problems(const std::vector<const ManifestInstance*>& instances,
                                            const StateDirs& dirs);

}  // namespace nixproc
