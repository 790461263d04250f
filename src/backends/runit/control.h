#pragma once
// Talking to the runit of a state directory: starting runsvdir on the scan
// directory when none runs (and stopping it when no service is left),
// telling whether a runsv supervises a service directory, asking sv for a
// service's state.
#include <functional>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "util/subprocess.h"

namespace nixproc::runit {

struct Runsvdir {
  std::string scan_dir, pid_file, lock_file, log_file;
};

struct Service {
  std::string name;
  std::string dir;        // the live service directory runsv runs in
  std::string scan_link;  // <scan_dir>/<name> -> dir
  std::string log_dir;    // where svlogd writes `current`
};

Runsvdir runsvdir_of(const DeployedInstance& instance);
Service service_of(const DeployedInstance& instance);

// Whether the runsvdir nixproc started for the scan directory runs.
bool is_running(const Runsvdir& runsvdir);

// Starts runsvdir unless it runs, then calls `link` with the lock still
// held, so no other nixproc stops runsvdir in between. Throws nixproc::Error.
void with_runsvdir(const Runsvdir& runsvdir, const DeployOptions& options,
                   const std::function<void()>& link);

// Stops runsvdir when the scan directory holds no service any more, so an
// undeploy leaves no process behind.
void shut_down_if_idle(const Runsvdir& runsvdir, const DeployOptions& options);

// runsvdir looks for new services at least every 5 s, and on any wake-up once
// a second has passed since its last look. Writing to its log pipe (its
// stderr, which it reads for the readproctitle log) wakes it up.
void nudge(const Runsvdir& runsvdir);

// runsvdir's recent error messages: its readproctitle log, from its argv.
std::string runsvdir_messages(const Runsvdir& runsvdir);

// Whether a runsv supervises `dir`: it holds supervise/ok open for reading.
bool is_supervised(const std::string& dir);

RunResult sv(const std::vector<std::string>& args, int timeout_seconds);

struct ServiceState {
  std::string state;  // run, down, finish, or "" when sv cannot tell
  long pid = 0;
  bool want_up = false;  // down but runsv will start it again
  std::string line;      // sv's own words
};

ServiceState service_state(const std::string& dir);

}  // namespace nixproc::runit
