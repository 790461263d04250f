#pragma once
// Daemonising the way systemd's daemon(7) and the "well-behaving daemon"
// article describe: close stray fds, reset signals, sanitise the environment,
// fork, setsid, fork again, stdio to /dev/null or a log, umask, chdir, a PID
// file created without races, privileges dropped, and the outcome reported to
// the caller through a pipe only once the daemon is really up.
#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "daemon/status.h"

namespace nixproc::daemon {

struct Options {
  std::string pid_file;          // empty: no PID file
  std::string expected_program;  // decides whether an existing PID file is stale
  std::string output;            // stdout and stderr appended here; empty: /dev/null
  mode_t umask = 022;
  std::string directory = "/";
  std::string user;                  // empty: keep the caller's identity
  bool inherit_environment = false;  // false: keep only PATH, LANG, LC_*, TZ, HOME, USER, LOGNAME
  std::vector<std::string> environment;  // NAME=VALUE, set last
  int ready_fd = -1;                     // exec mode: the program writes a newline here when ready
  int ready_timeout = 60;                // seconds
};

struct Result {
  Status status = Status::UnknownDaemonError;
  pid_t pid = 0;       // the daemon's PID (from the PID file), when known
  std::string detail;  // why it failed, when the daemon could say
};

// Callback mode, for programs that daemonise themselves (webapp): in the
// daemon, `initialize` runs first (false = failure) and then `run`, whose
// return value is the daemon's exit status. Returns in the caller only.
Result daemonize(const Options& options, const std::function<bool()>& initialize,
                 const std::function<int()>& run);

// Exec mode (nixproc-daemon): the daemon process becomes `argv` (PATH is
// searched when argv[0] has no slash), so the PID file holds its PID.
Result daemonize_exec(const Options& options, const std::vector<std::string>& argv);

}  // namespace nixproc::daemon
