#pragma once
// Talking to the s6 of a state directory: the Suite the shared supervision
// core (backends/common/supervision.h) drives s6 with, and what s6-rc and
// `nixproc s6-svscan` use of it.
#include <functional>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "backends/common/supervision.h"
#include "util/subprocess.h"

namespace nixproc::s6 {

using Svscan = Scanner;

extern const Suite suite;

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
