#pragma once
// The environment a daemon starts with. Variables may carry secrets or
// change a program's behaviour, so by default only a few harmless ones stay.
#include <string>
#include <vector>

namespace nixproc::daemon {

// Names kept by default: PATH, LANG, LC_*, TZ, HOME, USER, LOGNAME. A trailing
// '*' matches any name with that prefix.
const std::vector<std::string>& default_kept_variables();

// Used when the sanitised environment has no PATH.
inline constexpr const char* kDefaultPath = "/usr/local/bin:/usr/bin:/bin";

struct EnvironmentPolicy {
  bool inherit = false;                                      // keep everything; `keep` is ignored
  std::vector<std::string> keep = default_kept_variables();  // empty: clear all
  std::vector<std::string> additions;                        // NAME=VALUE, set last
};

// The daemon's environment as NAME=VALUE entries: `current` (an environ-style
// array, may be null) filtered by the policy, PATH set to kDefaultPath when a
// sanitised environment lacks it, then the additions, each replacing an
// entry of the same name. No name appears twice.
std::vector<std::string> daemon_environment(char** current, const EnvironmentPolicy& policy);

// The value of `name` in such a list, or "" when absent.
std::string environment_value(const std::vector<std::string>& environment, const std::string& name);

}  // namespace nixproc::daemon
