#pragma once
// The foreground proxy: lets a supervisor (supervisord, s6, runit) that needs
// a process living as long as the service run a program that only
// daemonises. The proxy starts the program, learns the daemon's PID from its
// PID file, forwards signals to it and exits when it does.
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace nixproc::daemon {

struct ProxyOptions {
  std::string pid_file;
  std::vector<std::string> command;  // PROGRAM [ARGS...], PROGRAM looked up on PATH
  int notify_fd = -1;                // s6-style readiness: "\n" once the PID is known
  int timeout = 30;       // seconds for the launcher to exit and the PID file to name a process
  int stop_timeout = 10;  // seconds between a forwarded TERM/INT/QUIT and KILL
  std::optional<std::string> directory;  // the launcher's working directory
  std::optional<mode_t> umask;           // the launcher's umask
};

// The proxy's own failures. They are above the statuses daemons commonly
// use, next to nixproc-daemon's usage error (100), and listed in
// docs/daemon-tools.md.
enum ProxyStatus : int {
  kProxyUsageError = 100,
  kProxyCannotStart = 101,     // fork, --chdir or exec failed
  kProxyLauncherFailed = 102,  // the program exited non-zero (or was killed) while starting
  kProxyPidFileTimeout = 103,  // no PID file naming a live process within the timeout
};

// Runs the proxy in this (single-threaded) process and returns its exit
// status: the daemon's own when it is a child of the proxy (128+signal when
// killed), otherwise 0 after a forwarded stop signal and 1 when it vanished;
// a ProxyStatus when the start fails; 128+signal when a stop signal arrives
// before the daemon's PID is known.
int run_foreground_proxy(const ProxyOptions& options);

}  // namespace nixproc::daemon
