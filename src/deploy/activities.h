#pragma once
// Running an activity (start, stop, restart, reload, status, or a custom one)
// over the instances of a deployed profile, in dependency order.
#include <string>
#include <vector>

#include "backends/backend.h"
#include "deploy/manifest.h"

namespace nixproc {

struct ActivityRequest {
  std::string activity;
  std::vector<std::string> names;  // instance keys or process names; empty = every started instance
  bool reverse = false;            // reverse dependency order (for stopping)
  DeployOptions options;
};

// Returns 0 when the activity succeeded for every instance, else the first
// non-zero status. Unknown names are an error before anything runs.
int run_activities(const Manifest& manifest, const ActivityRequest& request);

// Prints one line per instance (name, state, PID) and returns 0 when all run,
// 3 (LSB "not running") otherwise.
int print_status(const Manifest& manifest, const std::vector<std::string>& names,
                 const DeployOptions& options);

// The instances `names` select, in manifest (dependency) order.
std::vector<const ManifestInstance*> select_instances(const Manifest& manifest,
                                                      const std::vector<std::string>& names);

}  // namespace nixproc
