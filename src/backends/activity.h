#pragma once
// One dispatcher for the activities of `nixproc runactivity` and `nixproc
// start/stop/restart/reload`, on every backend: the same situation gives the
// same exit status everywhere (docs/process-managers.md, "Activities").
#include <string>

#include "backends/backend.h"

namespace nixproc {

// The exit statuses of an activity (LSB init script codes where LSB has one).
enum ActivityStatus : int {
  kActivityDone = 0,
  kActivityFailed = 1,    // it failed; the reason is on stderr
  kUnknownActivity = 2,   // the process manager has no such activity
  kNotRunning = 3,        // status: not running, a stale PID file included
  kUnimplemented = 3,     // reload of an instance that cannot reload (an s6-rc oneshot)
  kReloadNotRunning = 7,  // reload: the instance does not run
};

// Runs `activity` for one deployed instance: start (activate), stop,
// restart, reload, status (one line, kNotRunning unless running) or, for
// backends whose scripts have them, a custom one. A nixproc::Error is
// printed on stderr and becomes kActivityFailed, so the activities of the
// other instances still run.
int run_activity(const Backend& backend, const DeployedInstance& instance,
                 const std::string& activity, const DeployOptions& options);

}  // namespace nixproc
