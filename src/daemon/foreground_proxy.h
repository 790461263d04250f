#pragma once
// The foreground proxy: the keeper of one instance. It runs in the
// foreground for whatever starts it (a supervisor such as supervisord, s6
// or runit; nixproc-daemon for sysvinit and disnix) and keeps every process
// of the instance together:
//
// - it is a subreaper, so whatever the instance's processes leave behind
//   when they exit or daemonise is adopted by it, never by init;
// - it runs `initialize` (with its own privileges), then the program as the
//   instance's user: in the foreground, as its child, or, for a program that
//   daemonises, until the daemon's PID file names one of its descendants;
// - it records its own identity and the main process's in the instance's
//   record (instance_record.h), which is how nixproc recognises the
//   instance's processes, and refuses to run twice for one instance;
// - the start counts as a success once the main process has stayed up for
//   the settle time (a daemon: once its PID file named it); then readiness
//   is reported on the notification fd;
// - it forwards TERM, INT, HUP, QUIT, USR1 and USR2 to the main process
//   (KILL after the stop timeout for TERM, INT and QUIT), and when the main
//   process ends, for whatever reason, it ends every other process of the
//   instance before it exits itself.
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "util/exit_codes.h"

namespace nixproc::daemon {

struct ProxyOptions {
  std::vector<std::string> command;  // PROGRAM [ARGS...], PROGRAM looked up on PATH
  // Daemon mode: the PID file the program's daemon writes. Empty: the
  // program itself is the main process, unless `daemonises`.
  std::string pid_file;
  // Daemon mode without a PID file: the daemon is the process the program
  // leaves behind (the one child of the proxy left once it exited).
  bool daemonises = false;
  std::string main_pid_file;  // foreground mode: where to write the main process's PID
  std::string record;         // the instance's record directory; empty: none kept
  std::string initialize;     // shell commands (/bin/sh -ec) run first, with our privileges
  std::string user;           // the program runs as this user, with its groups
  int notify_fd = -1;         // s6-style readiness: "\n" once the start succeeded
  // Notify as soon as the main process runs, not after the settle time:
  // the caller confirms the start itself (by the record's `ready`). Set from
  // the environment variable NIXPROC_CONFIRMS_START=1 by nixproc, which
  // confirms every start a switch makes once all of them are under way.
  bool notify_at_launch = false;
  // Seconds the main process must stay up for the start to count. Unset: 1
  // for a program in the foreground; 0 for a daemon, whose own protocol (its
  // parent exits once it is initialised and has written its PID file) says
  // it started.
  std::optional<double> settle;
  int timeout = 30;       // seconds for the launcher to exit and the PID file to name a process
  int stop_timeout = 10;  // seconds between a forwarded TERM/INT/QUIT and KILL
  std::optional<std::string> directory;  // the program's working directory
  std::optional<mode_t> umask;           // the program's umask
};

// The proxy's own failures. They are above the statuses daemons commonly
// use, next to nixproc-daemon's usage error (100), and listed in
// docs/daemon-tools.md.
enum ProxyStatus : int {
  kProxyUsageError = kDaemonToolUsage,
  kProxyCannotStart = 101,     // fork, --chdir, --user, exec, the record or a PID file failed
  kProxyLauncherFailed = 102,  // initialize, or the program while daemonising, failed
  kProxyPidFileTimeout = 103,  // no PID file naming a descendant within the timeout
  kProxyAlreadyRunning = 104,  // another proxy keeps this instance's record
  kProxyEndedAtOnce = 105,     // the main process ended within the settle time
};

// Runs the proxy in this (single-threaded) process and returns its exit
// status: the main process's own (128+signal when killed), or 0 after a
// forwarded stop signal when the main process was not its child; a
// ProxyStatus when the start fails; 128+signal when a stop signal arrives
// before the main process runs.
int run_foreground_proxy(const ProxyOptions& options);

}  // namespace nixproc::daemon
