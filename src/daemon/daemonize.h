#pragma once
// Daemonising the way systemd's daemon(7) and the "well-behaving daemon"
// article describe it: stray fds closed, signal handlers and mask reset, the
// environment sanitised, fork, setsid, fork again, stdio to /dev/null or a
// log, umask, working directory, a race-free PID file, privileges dropped,
// and the outcome reported to the caller through a pipe only once the daemon
// is really up.
//
// Unlike the article, the resets happen in the helper process, not in the
// caller: the caller's own fds and signal handling stay untouched, and the
// daemon (which descends from the helper) gets the same clean state.
#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "daemon/environment.h"
#include "daemon/status.h"

namespace nixproc::daemon {

struct Options {
  std::string pid_file;  // empty: no PID file; relative: to the caller's cwd
  // Decides whether an existing PID file names a running instance. Empty:
  // the program (exec mode) or this executable (callback mode).
  std::string expected_program;
  std::string output;  // stdout and stderr appended here (0640); empty: /dev/null
  mode_t umask = 022;
  std::string directory = "/";  // the daemon's working directory
  std::string user;             // empty: keep the caller's identity (needs root otherwise)
  EnvironmentPolicy environment;
  // Exec mode only: the program inherits the write end of a pipe as this fd
  // (>= 3) and writes a newline to it once it is ready; -1: no such wait.
  int ready_fd = -1;
  int ready_timeout = 60;  // seconds to wait for that newline
};

struct Result {
  Status status = Status::UnknownDaemonError;
  pid_t pid = 0;       // the daemon's PID when it runs (Success, NotReady), else 0
  std::string detail;  // why it failed, when known
};

// Callback mode, for programs that daemonise themselves (webapp): in the
// daemon, `initialize` runs first (false or an exception: CannotInitDaemon),
// then Success is reported and `run` runs; its return value is the daemon's
// exit status, unless removing the PID file afterwards fails
// (CannotUnlinkPidFile). Returns in the caller only.
Result daemonize(const Options& options, const std::function<bool()>& initialize,
                 const std::function<int()>& run);

// Exec mode (nixproc-daemon): the daemon process becomes `argv` (argv[0] is
// looked up on the daemon's PATH when it has no slash; no shell is used), so
// the PID file holds the program's PID. A successful exec closes the
// notification pipe, which the caller takes as Success.
Result daemonize_exec(const Options& options, const std::vector<std::string>& argv);

}  // namespace nixproc::daemon
