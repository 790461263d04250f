// nixproc-test-hold: a process for tests that does nothing until SIGTERM or
// SIGINT. It never touches its argv or environment, so tests can compare
// /proc/<pid>/cmdline and environ with what the model said. With -D it
// daemonises itself (PID_FILE); with HOLD_READY_FD=N it reports readiness.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "daemon/daemonize.h"

static int hold() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  if (const char* fd = std::getenv("HOLD_READY_FD")) (void)!write(std::atoi(fd), "\n", 1);
  int signal = 0;
  sigwait(&set, &signal);
  return 0;
}

int main(int argc, char** argv) {
  bool daemon_mode = false;
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "-D") == 0) daemon_mode = true;
  if (!daemon_mode) return hold();
  const char* pid_file = std::getenv("PID_FILE");
  if (!pid_file) {
    std::fprintf(stderr, "nixproc-test-hold: -D needs PID_FILE\n");
    return 1;
  }
  nixproc::daemon::Options options;
  options.pid_file = pid_file;
  options.expected_program = "/proc/self/exe";
  options.inherit_environment = true;
  auto result = nixproc::daemon::daemonize(
      options, [] { return true; }, hold);
  return static_cast<int>(result.status);
}
