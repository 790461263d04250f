#include "daemon/daemon_steps.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "daemon/notification.h"
#include "daemon/pidfile.h"
#include "daemon/privileges.h"
#include "daemon/safe_files.h"

namespace nixproc::daemon {

[[noreturn]] void report_failure_and_exit(int status_fd, Status status, const std::string& detail,
                                          const std::string& pid_file_to_remove) {
  if (!pid_file_to_remove.empty()) remove_own_pid_file(pid_file_to_remove);
  send_status(status_fd, status, detail);
  ::_exit(static_cast<int>(status));
}

namespace {

std::string error_text(int error) {
  return std::strerror(error);
}

// The log is opened as the caller (often root), in directories other users
// may write too: never through a symlink, never a FIFO or another user's
// file (safe_files.h).
void attach_standard_fds(const Options& options, int status_fd) {
  int input = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (input < 0)
    report_failure_and_exit(status_fd, Status::CannotAttachStdFds,
                            "/dev/null: " + error_text(errno));
  std::string problem;
  int output = options.output.empty() ? ::open("/dev/null", O_WRONLY | O_CLOEXEC)
                                      : open_for_append(options.output, 0640, &problem);
  if (output < 0)
    report_failure_and_exit(status_fd, Status::CannotAttachStdFds,
                            problem.empty() ? "/dev/null: " + error_text(errno) : problem);
  // Both are above 2 (ensure_standard_fds_open ran), so dup2 never aliases.
  if (::dup2(input, STDIN_FILENO) < 0 || ::dup2(output, STDOUT_FILENO) < 0 ||
      ::dup2(output, STDERR_FILENO) < 0)
    report_failure_and_exit(status_fd, Status::CannotAttachStdFds, error_text(errno));
  ::close(input);
  ::close(output);
}

void claim_pid_file(const Options& options, int status_fd) {
  if (options.pid_file.empty()) return;
  PidFileCreation created = create_pid_file(options.pid_file, options.expected_program);
  if (created.outcome == PidFileCreation::AlreadyRunning)
    report_failure_and_exit(
        status_fd, Status::AlreadyRunning,
        options.pid_file + " names the running process " + std::to_string(created.running_pid));
  if (created.outcome == PidFileCreation::Failed)
    report_failure_and_exit(status_fd, Status::CannotCreatePidFile,
                            options.pid_file + ": " + error_text(created.error));
}

}  // namespace

void enter_daemon_state(const Options& options, int status_fd) {
  ::umask(options.umask);
  attach_standard_fds(options, status_fd);
  if (::chdir(options.directory.c_str()) != 0)
    report_failure_and_exit(status_fd, Status::CannotChdir,
                            options.directory + ": " + error_text(errno));
  claim_pid_file(options, status_fd);
  if (!options.user.empty()) {
    std::string problem = drop_privileges(options.user);
    if (!problem.empty())
      report_failure_and_exit(status_fd, Status::CannotDropPrivileges, problem, options.pid_file);
  }
}

void replace_environment(const std::vector<std::string>& environment) {
  ::clearenv();
  // putenv keeps the pointer: these copies live as long as the daemon.
  for (const auto& entry : environment) ::putenv(::strdup(entry.c_str()));
}

int place_ready_fd(int ready_write, int target, int status_fd) {
  if (status_fd == target) {
    int moved = ::fcntl(status_fd, F_DUPFD_CLOEXEC, target + 1);
    if (moved < 0)
      report_failure_and_exit(status_fd, Status::NotReady, "cannot move the status pipe");
    ::close(status_fd);
    status_fd = moved;
  }
  if (ready_write == target) {
    if (::fcntl(target, F_SETFD, 0) != 0)
      report_failure_and_exit(status_fd, Status::NotReady,
                              "cannot pass fd " + std::to_string(target));
  } else {
    if (::dup2(ready_write, target) < 0)
      report_failure_and_exit(
          status_fd, Status::NotReady,
          "cannot pass fd " + std::to_string(target) + ": " + error_text(errno));
    ::close(ready_write);
  }
  return status_fd;
}

int exec_first(const std::vector<std::string>& candidates, char* const* argv, char* const* envp) {
  int error = ENOENT;
  bool denied = false;
  for (const auto& candidate : candidates) {
    ::execve(candidate.c_str(), argv, envp);
    error = errno;
    if (error == EACCES) denied = true;
    if (error != EACCES && error != ENOENT && error != ENOTDIR) return error;
  }
  return denied ? EACCES : error;
}

}  // namespace nixproc::daemon
