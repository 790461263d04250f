#pragma once
// Talking to the s6 of a state directory: starting s6-svscan on the scan
// directory when none runs (and stopping it when no service is left),
// telling whether an s6-supervise watches a service directory, asking
// s6-svstat for a service's state.
#include <functional>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "util/subprocess.h"

namespace nixproc::s6 {

struct Svscan {
  std::string scan_dir, pid_file, lock_file, log_file;
};

struct Service {
  std::string name;
  std::string dir;        // the live service directory s6-supervise runs in
  std::string scan_link;  // <scan_dir>/<name> -> dir
  std::string log_dir;    // where s6-log writes `current`
};

Svscan svscan_of(const DeployedInstance& instance);
Service service_of(const DeployedInstance& instance);

// Whether the s6-svscan nixproc started (the one its PID file names) runs.
bool started_by_nixproc(const Svscan& svscan);

// Whether any s6-svscan watches the scan directory: nixproc's, or one run
// another way (`nixproc s6-svscan --foreground`, a container's entry point)
// that reads the control FIFO but has no PID file.
bool is_running(const Svscan& svscan);

// Starts s6-svscan (through nixproc-daemon) on the scan directory and waits
// until it reads its control FIFO. Throws nixproc::Error, with the end of
// s6-svscan's log, when it does not come up (another s6-svscan holds the
// scan directory's lock, ...).
void start_svscan(const Svscan& svscan, int timeout_seconds);

// Starts s6-svscan unless it runs, then calls `link` and makes s6-svscan
// rescan, with the lock still held, so no other nixproc stops it in between.
void with_svscan(const Svscan& svscan, const DeployOptions& options,
                 const std::function<void()>& link);

// Stops s6-svscan when the scan directory holds no service any more, so an
// undeploy leaves no process behind.
void shut_down_if_idle(const Svscan& svscan, const DeployOptions& options);

// Whether an s6-supervise watches `dir` (s6-svok).
bool is_supervised(const std::string& dir);

RunResult s6_tool(const std::vector<std::string>& argv, int timeout_seconds);

struct ServiceState {
  bool known = false;  // s6-svstat could read the supervisor's status
  bool up = false, wanted_up = false, ready = false;
  long pid = 0;
  std::string line;  // s6-svstat's own words
};

ServiceState service_state(const std::string& dir);

}  // namespace nixproc::s6
