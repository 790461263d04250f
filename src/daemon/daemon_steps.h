#pragma once
// The steps the daemon process itself takes. Each one that fails reports the
// failure through the status pipe and ends the daemon.
#include <string>
#include <vector>

#include "daemon/daemonize.h"

namespace nixproc::daemon {

// Removes the PID file if it is ours (when given), sends `status` and
// `detail` to the caller, and exits with `status`.
[[noreturn]] void report_failure_and_exit(int status_fd, Status status, const std::string& detail,
                                          const std::string& pid_file_to_remove = "");

// umask, stdio, working directory, PID file, user: in this order so the log
// is created with the daemon's umask and the PID file while still privileged.
void enter_daemon_state(const Options& options, int status_fd);

// Makes `environment` (NAME=VALUE entries) this process's whole environment.
void replace_environment(const std::vector<std::string>& environment);

// Puts the readiness pipe at fd `target` without close-on-exec, moving the
// status pipe away first if it sits there. Returns the status fd.
int place_ready_fd(int ready_write, int target, int status_fd);

// Tries the candidates like execvp (a missing or forbidden one is skipped,
// any other failure stops; no shell for ENOEXEC). Returns the errno to report.
int exec_first(const std::vector<std::string>& candidates, char* const* argv, char* const* envp);

}  // namespace nixproc::daemon
