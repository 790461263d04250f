#pragma once
// The exit statuses of the small daemon tools (docs/daemon-tools.md). Those
// of nixproc-daemon are the daemon Status (daemon/status.h) and
// kDaemonToolUsage, those of nixproc-foreground-proxy its ProxyStatus
// (daemon/foreground_proxy.h).
#include "util/exit_codes.h"

namespace nixproc::daemon {

// nixproc-pidof: LSB pidofproc.
namespace pidof_exit {
constexpr int kRunning = 0;
constexpr int kStale = 1;  // a stale PID file, or the main process runs without its keeper
constexpr int kNotRunning = 3;
constexpr int kUnknown = 4;  // a usage error or an untrusted record (LSB "unknown")
constexpr int kUsage = kUnknown;
}  // namespace pidof_exit

// nixproc-kill: LSB killproc.
namespace kill_exit {
constexpr int kDone = 0;      // stopped or signalled (or nothing ran, when stopping)
constexpr int kSurvived = 1;  // a process of the instance survived KILL
constexpr int kUsage = 2;
constexpr int kUntrusted = 4;   // the record cannot be trusted
constexpr int kNotRunning = 7;  // --signal, but the instance does not run
}  // namespace kill_exit

// nixproc-chainload-user: 1 on any error of its own, else it is the program.
namespace chainload_exit {
constexpr int kFailure = 1;  // usage, an unknown user, no privileges, the program cannot run
constexpr int kUsage = kFailure;
}  // namespace chainload_exit

}  // namespace nixproc::daemon
