#include "daemon/daemonize.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "daemon/daemon_steps.h"
#include "daemon/notification.h"
#include "daemon/pidfile.h"
#include "daemon/process_info.h"
#include "daemon/process_reset.h"
#include "daemon/program_search.h"

extern char** environ;

namespace nixproc::daemon {

namespace {

std::string error_text(int error) {
  return std::strerror(error);
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (const auto& text : strings) pointers.push_back(const_cast<char*>(text.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

struct Pipe {
  int read = -1;
  int write = -1;
};

struct Channels {
  Pipe status;  // the status byte, from the helper and the daemon
  Pipe pid;     // the daemon's PID, from the helper
  Pipe ready;   // exec mode with a readiness fd: the program's newline
};

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

void close_all(Channels& channels) {
  for (Pipe* pipe : {&channels.status, &channels.pid, &channels.ready}) {
    close_fd(pipe->read);
    close_fd(pipe->write);
  }
}

// Close-on-exec, and never on 0, 1 or 2, which the daemon redirects.
bool open_pipe(Pipe& pipe) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  pipe.read = move_above_standard_fds(fds[0]);
  pipe.write = move_above_standard_fds(fds[1]);
  return pipe.read >= 0 && pipe.write >= 0;
}

bool write_pid(int fd, pid_t pid) {
  ssize_t n;
  do n = ::write(fd, &pid, sizeof pid);
  while (n < 0 && errno == EINTR);
  return n == static_cast<ssize_t>(sizeof pid);
}

pid_t read_pid(int fd) {
  ::fcntl(fd, F_SETFL, O_NONBLOCK);  // the helper has exited: whatever it sent is there
  pid_t pid = 0;
  ssize_t n;
  do n = ::read(fd, &pid, sizeof pid);
  while (n < 0 && errno == EINTR);
  return n == static_cast<ssize_t>(sizeof pid) ? pid : 0;
}

using DaemonMain = std::function<void(int status_fd, int ready_write)>;

// The first child: resets what the daemon must not inherit, leaves the
// session, forks the daemon, tells the caller its PID and exits, so the
// daemon is adopted by init and, not being a session leader, can never
// acquire a terminal.
[[noreturn]] void run_helper(Channels& channels, const DaemonMain& daemon_main) {
  close_fd(channels.status.read);
  close_fd(channels.pid.read);
  close_fd(channels.ready.read);
  int status_fd = channels.status.write;
  if (!reset_signal_handlers())
    report_failure_and_exit(status_fd, Status::CannotResetSignals,
                            "sigaction: " + error_text(errno));
  if (!clear_signal_mask())
    report_failure_and_exit(status_fd, Status::CannotClearSignalMask,
                            "sigprocmask: " + error_text(errno));
  std::vector<int> keep = {channels.status.write, channels.pid.write};
  if (channels.ready.write >= 0) keep.push_back(channels.ready.write);
  if (!close_fds_except(keep))
    report_failure_and_exit(status_fd, Status::CannotCloseFds, error_text(errno));
  if (!ensure_standard_fds_open())
    report_failure_and_exit(status_fd, Status::CannotAttachStdFds,
                            "/dev/null: " + error_text(errno));
  if (::setsid() < 0) report_failure_and_exit(status_fd, Status::CannotSetSid, error_text(errno));
  pid_t daemon = ::fork();
  if (daemon < 0) report_failure_and_exit(status_fd, Status::CannotForkDaemon, error_text(errno));
  if (daemon == 0) {
    close_fd(channels.pid.write);
    daemon_main(status_fd, channels.ready.write);
    ::_exit(static_cast<int>(Status::UnknownDaemonError));
  }
  if (!write_pid(channels.pid.write, daemon)) ::_exit(1);
  ::_exit(0);
}

std::string describe_exit(int wait_status) {
  if (WIFEXITED(wait_status))
    return "the helper process exited with status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status))
    return "the helper process was killed by signal " + std::to_string(WTERMSIG(wait_status));
  return "the helper process ended abnormally";
}

Result interpret(const Notification& notification, bool exec_mode, bool helper_done,
                 const std::string& helper_outcome) {
  switch (notification.kind) {
    case Notification::ReadError:
      return {Status::CannotReadPipe, 0, error_text(errno)};
    case Notification::Received:
      if (!notification.status) return {Status::UnknownDaemonError, 0, "unknown status byte"};
      return {*notification.status, 0, notification.detail};
    case Notification::EndOfFile:
      // Only a successful exec closes the pipe without a byte, and only
      // after the helper finished its part.
      if (exec_mode && helper_done) return {Status::Success, 0, ""};
      return {Status::UnknownDaemonError, 0,
              helper_done ? "the daemon ended before reporting its status" : helper_outcome};
  }
  return {Status::UnknownDaemonError, 0, ""};
}

Result run_protocol(const Options& options, bool exec_mode, const DaemonMain& daemon_main) {
  Channels channels;
  bool with_ready = exec_mode && options.ready_fd >= 0;
  if (!open_pipe(channels.status) || !open_pipe(channels.pid) ||
      (with_ready && !open_pipe(channels.ready))) {
    Result result{Status::CannotCreatePipe, 0, error_text(errno)};
    close_all(channels);
    return result;
  }
  std::fflush(nullptr);  // or buffered output would be written twice
  pid_t helper = ::fork();
  if (helper < 0) {
    Result result{Status::CannotForkHelper, 0, error_text(errno)};
    close_all(channels);
    return result;
  }
  if (helper == 0) run_helper(channels, daemon_main);

  close_fd(channels.status.write);
  close_fd(channels.pid.write);
  close_fd(channels.ready.write);
  Notification notification = receive_status(channels.status.read);
  int read_error = errno;
  int wait_status = 0;
  pid_t waited;
  do waited = ::waitpid(helper, &wait_status, 0);
  while (waited < 0 && errno == EINTR);
  pid_t daemon_pid = read_pid(channels.pid.read);
  // Without a wait status (SIGCHLD ignored: ECHILD) the PID alone tells that
  // the helper got to its end.
  bool helper_done =
      daemon_pid > 0 && (waited < 0 || (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0));
  errno = read_error;
  Result result = interpret(notification, exec_mode, helper_done, describe_exit(wait_status));
  if (result.status == Status::Success && with_ready) {
    Readiness readiness = wait_for_ready_line(channels.ready.read, options.ready_timeout);
    if (readiness != Readiness::Ready) {
      result.status = Status::NotReady;
      result.detail = readiness == Readiness::Closed
                          ? "PID " + std::to_string(daemon_pid) + " closed fd " +
                                std::to_string(options.ready_fd) +
                                " without a newline (did it exit?)"
                          : "no newline on fd " + std::to_string(options.ready_fd) + " within " +
                                std::to_string(options.ready_timeout) + " s (PID " +
                                std::to_string(daemon_pid) + ")";
      if (!options.output.empty()) result.detail += "; see " + options.output;
    }
  }
  if (result.status == Status::Success || result.status == Status::NotReady)
    result.pid = daemon_pid;
  close_all(channels);
  return result;
}

// Paths the caller gave are meant relative to its own working directory.
Options with_absolute_paths(Options options) {
  namespace fs = std::filesystem;
  std::error_code ignored;
  for (std::string* path : {&options.pid_file, &options.output, &options.directory})
    if (!path->empty() && path->front() != '/') {
      fs::path absolute = fs::absolute(*path, ignored);
      if (!ignored) *path = absolute.lexically_normal().string();
    }
  return options;
}

}  // namespace

Result daemonize(const Options& given, const std::function<bool()>& initialize,
                 const std::function<int()>& run) {
  Options options = with_absolute_paths(given);
  if (options.expected_program.empty()) options.expected_program = own_executable();
  std::vector<std::string> environment = daemon_environment(environ, options.environment);
  return run_protocol(options, false, [&](int status_fd, int) {
    enter_daemon_state(options, status_fd);
    replace_environment(environment);
    bool initialised = false;
    std::string why;
    try {
      initialised = initialize();
    } catch (const std::exception& error) {
      why = error.what();
    } catch (...) {
      why = "unknown exception";
    }
    if (!initialised)
      report_failure_and_exit(status_fd, Status::CannotInitDaemon, why, options.pid_file);
    send_status(status_fd, Status::Success);
    int exit_status = static_cast<int>(Status::UnknownDaemonError);
    try {
      exit_status = run();
    } catch (...) {
    }
    std::fflush(nullptr);
    // The fixed version of the original's inverted check: only a failed
    // removal is an error.
    if (!options.pid_file.empty() && !remove_own_pid_file(options.pid_file))
      ::_exit(static_cast<int>(Status::CannotUnlinkPidFile));
    ::_exit(exit_status);
  });
}

Result daemonize_exec(const Options& given, const std::vector<std::string>& argv) {
  if (argv.empty() || argv[0].empty())
    return {Status::CannotInitDaemon, 0, "no program to execute"};
  if (given.ready_fd >= 0 && given.ready_fd < 3)
    return {Status::NotReady, 0, "the readiness fd must be 3 or more"};
  Options options = with_absolute_paths(given);
  std::vector<std::string> environment = daemon_environment(environ, options.environment);
  std::vector<std::string> candidates =
      program_candidates(argv[0], environment_value(environment, "PATH"));
  if (options.expected_program.empty()) {
    options.expected_program = first_executable(candidates);
    if (options.expected_program.empty()) options.expected_program = argv[0];
  }
  std::vector<char*> arguments = c_strings(argv);
  std::vector<char*> envp = c_strings(environment);
  return run_protocol(options, true, [&](int status_fd, int ready_write) {
    if (ready_write >= 0) status_fd = place_ready_fd(ready_write, options.ready_fd, status_fd);
    enter_daemon_state(options, status_fd);
    int error = exec_first(candidates, arguments.data(), envp.data());
    report_failure_and_exit(status_fd, Status::CannotInitDaemon, argv[0] + ": " + error_text(error),
                            options.pid_file);
  });
}

}  // namespace nixproc::daemon
