// nixproc-test-hold: a process for tests that waits for SIGTERM or SIGINT and
// then exits 0. It ignores its arguments and never touches its argv or
// environment, so tests can compare /proc/<pid>/cmdline and environ byte for
// byte. -D anywhere: daemonise (callback mode) with the PID file named by
// PID_FILE (exit 1 if unset; otherwise the daemon Status). In the foreground
// HOLD_READY_FD=N makes it write "\n" to fd N once it is waiting.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "daemon/daemonize.h"

namespace {

sigset_t termination_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

void report_ready() {
  const char* fd_text = std::getenv("HOLD_READY_FD");
  if (!fd_text) return;
  int fd = std::atoi(fd_text);
  if (fd < 0) return;
  while (write(fd, "\n", 1) < 0 && errno == EINTR) {
  }
  close(fd);
}

// Blocked, the signals wait for sigwait, whatever their disposition.
int hold(bool foreground) {
  sigset_t signals = termination_signals();
  sigprocmask(SIG_BLOCK, &signals, nullptr);
  if (foreground) report_ready();
  int received = 0;
  while (sigwait(&signals, &received) != 0) {
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool daemon_mode = false;
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "-D") == 0) daemon_mode = true;
  if (!daemon_mode) return hold(true);

  const char* pid_file = std::getenv("PID_FILE");
  if (!pid_file) {
    std::fprintf(stderr, "nixproc-test-hold: -D needs the PID_FILE environment variable\n");
    return 1;
  }
  nixproc::daemon::Options options;
  options.pid_file = pid_file;
  options.environment.inherit = true;
  auto result = nixproc::daemon::daemonize(
      options, [] { return true; }, [] { return hold(false); });
  if (result.status != nixproc::daemon::Status::Success)
    std::fprintf(stderr, "nixproc-test-hold: %s %s\n", nixproc::daemon::describe(result.status),
                 result.detail.c_str());
  return static_cast<int>(result.status);
}
