#include "daemon/daemonize.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "daemon/pidfile.h"
#include "daemon/privileges.h"

extern char** environ;

namespace nixproc::daemon {

namespace {

// One status byte, then optionally a message, then the pipe is closed.
[[noreturn]] void report_and_exit(int fd, Status status, const std::string& detail) {
  unsigned char byte = static_cast<unsigned char>(status);
  while (::write(fd, &byte, 1) < 0 && errno == EINTR) {
  }
  if (!detail.empty()) (void)!::write(fd, detail.data(), detail.size());
  ::close(fd);
  ::_exit(static_cast<int>(status));
}

std::string errno_text() {
  return std::strerror(errno);
}

bool close_fds_except(int keep1, int keep2) {
  std::vector<int> doomed;
  if (DIR* dir = ::opendir("/proc/self/fd")) {
    int own = ::dirfd(dir);
    while (struct dirent* entry = ::readdir(dir)) {
      int fd = std::atoi(entry->d_name);
      if (entry->d_name[0] != '.' && fd > 2 && fd != own && fd != keep1 && fd != keep2)
        doomed.push_back(fd);
    }
    ::closedir(dir);
  } else {
    struct rlimit limit;
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
    rlim_t top = limit.rlim_cur == RLIM_INFINITY ? 65536 : limit.rlim_cur;
    for (rlim_t fd = 3; fd < top; ++fd)
      if (static_cast<int>(fd) != keep1 && static_cast<int>(fd) != keep2)
        doomed.push_back(static_cast<int>(fd));
  }
  for (int fd : doomed) ::close(fd);
  return true;
}

bool reset_signal_handlers() {
  for (int signal = 1; signal < NSIG; ++signal)
    if (signal != SIGKILL && signal != SIGSTOP)
      ::signal(signal, SIG_DFL);  // some are reserved: ignore
  return true;
}

bool clear_signal_mask() {
  sigset_t empty;
  return ::sigemptyset(&empty) == 0 && ::sigprocmask(SIG_SETMASK, &empty, nullptr) == 0;
}

void sanitise_environment(const Options& options) {
  if (!options.inherit_environment) {
    std::vector<std::string> kept;
    for (char** entry = environ; entry && *entry; ++entry) {
      std::string item = *entry;
      std::string name = item.substr(0, item.find('='));
      if (name == "PATH" || name == "LANG" || name.rfind("LC_", 0) == 0 || name == "TZ" ||
          name == "HOME" || name == "USER" || name == "LOGNAME")
        kept.push_back(item);
    }
    ::clearenv();
    for (const auto& item : kept) ::putenv(::strdup(item.c_str()));
    if (!std::getenv("PATH")) ::setenv("PATH", "/usr/local/bin:/usr/bin:/bin", 1);
  }
  for (const auto& item : options.environment) ::putenv(::strdup(item.c_str()));
}

// In the daemon process: stdio, umask, directory, PID file, privileges.
void prepare_daemon(const Options& options, int status_fd) {
  int input = ::open("/dev/null", O_RDONLY);
  std::string target = options.output.empty() ? "/dev/null" : options.output;
  int output = ::open(target.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0640);
  if (input < 0 || output < 0 || ::dup2(input, 0) < 0 || ::dup2(output, 1) < 0 ||
      ::dup2(output, 2) < 0)
    report_and_exit(status_fd, Status::CannotAttachStdFds, target + ": " + errno_text());
  if (input > 2) ::close(input);
  if (output > 2) ::close(output);
  ::umask(options.umask);
  if (::chdir(options.directory.c_str()) != 0)
    report_and_exit(status_fd, Status::CannotChdir, options.directory + ": " + errno_text());
  if (!options.pid_file.empty() && !create_pid_file(options.pid_file, options.expected_program)) {
    if (errno == EEXIST)
      report_and_exit(status_fd, Status::AlreadyRunning,
                      options.pid_file + " names a running process");
    report_and_exit(status_fd, Status::CannotCreatePidFile, options.pid_file + ": " + errno_text());
  }
  if (!options.user.empty()) {
    std::string problem = drop_privileges(options.user);
    if (!problem.empty()) {
      if (!options.pid_file.empty()) ::unlink(options.pid_file.c_str());
      report_and_exit(status_fd, Status::CannotDropPrivileges, problem);
    }
  }
}

struct Pipe {
  int read = -1, write = -1;
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    read = fds[0];
    write = fds[1];
    return true;
  }
};

// Waits for a newline on `fd`, at most `timeout` seconds.
bool wait_ready(int fd, int timeout) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    struct pollfd entry = {fd, POLLIN, 0};
    int ready = ::poll(&entry, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    char buffer[256];
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // closed without a newline
    if (std::memchr(buffer, '\n', static_cast<size_t>(n))) return true;
  }
}

pid_t read_pid(const std::string& path) {
  std::ifstream in(path);
  long pid = 0;
  in >> pid;
  return pid > 0 ? static_cast<pid_t>(pid) : 0;
}

using DaemonBody = std::function<void(int status_fd, int ready_fd)>;

Result run_protocol(const Options& options, bool exec_mode, const DaemonBody& body) {
  Result result;
  Pipe status, ready;
  if (!status.open() || (options.ready_fd >= 0 && !ready.open())) {
    result.status = Status::CannotCreatePipe;
    result.detail = errno_text();
    return result;
  }
  pid_t helper = ::fork();
  if (helper < 0) {
    result.status = Status::CannotForkHelper;
    result.detail = errno_text();
    return result;
  }
  if (helper == 0) {
    ::close(status.read);
    if (ready.read >= 0) ::close(ready.read);
    if (!reset_signal_handlers()) report_and_exit(status.write, Status::CannotResetSignals, "");
    if (!clear_signal_mask())
      report_and_exit(status.write, Status::CannotClearSignalMask, errno_text());
    if (!close_fds_except(status.write, ready.write))
      report_and_exit(status.write, Status::CannotCloseFds, errno_text());
    if (::setsid() < 0) report_and_exit(status.write, Status::CannotSetSid, errno_text());
    // Fork again so the daemon is no session leader and can never get a terminal.
    pid_t daemon = ::fork();
    if (daemon < 0) report_and_exit(status.write, Status::CannotForkDaemon, errno_text());
    if (daemon == 0) {
      body(status.write, ready.write);
      ::_exit(static_cast<int>(Status::UnknownDaemonError));
    }
    ::_exit(0);  // the daemon is adopted by init
  }
  ::close(status.write);
  if (ready.write >= 0) ::close(ready.write);

  unsigned char byte = 0;
  ssize_t n;
  do n = ::read(status.read, &byte, 1);
  while (n < 0 && errno == EINTR);
  char buffer[512];
  for (ssize_t more; (more = ::read(status.read, buffer, sizeof buffer)) > 0;)
    result.detail.append(buffer, static_cast<size_t>(more));
  ::close(status.read);
  int helper_status = 0;
  while (::waitpid(helper, &helper_status, 0) < 0 && errno == EINTR) {
  }
  bool helper_ok = WIFEXITED(helper_status) && WEXITSTATUS(helper_status) == 0;
  if (n < 0) {
    result.status = Status::CannotReadPipe;
  } else if (n == 1) {
    result.status = static_cast<Status>(byte);
  } else {
    // A successful exec closes the pipe without a byte.
    result.status = exec_mode && helper_ok ? Status::Success : Status::UnknownDaemonError;
  }
  if (result.status == Status::Success && ready.read >= 0 &&
      !wait_ready(ready.read, options.ready_timeout)) {
    result.status = Status::NotReady;
    result.detail = "no newline on fd " + std::to_string(options.ready_fd) + " within " +
                    std::to_string(options.ready_timeout) + " s";
  }
  if (ready.read >= 0) ::close(ready.read);
  if (!options.pid_file.empty()) result.pid = read_pid(options.pid_file);
  return result;
}

}  // namespace

Result daemonize(const Options& options, const std::function<bool()>& initialize,
                 const std::function<int()>& run) {
  return run_protocol(options, false, [&](int status_fd, int) {
    sanitise_environment(options);
    prepare_daemon(options, status_fd);
    if (!initialize()) {
      if (!options.pid_file.empty()) ::unlink(options.pid_file.c_str());
      report_and_exit(status_fd, Status::CannotInitDaemon, "");
    }
    unsigned char success = static_cast<unsigned char>(Status::Success);
    while (::write(status_fd, &success, 1) < 0 && errno == EINTR) {
    }
    ::close(status_fd);
    int exit_status = run();
    // Remove the PID file only if it is still ours.
    if (!options.pid_file.empty() && read_pid(options.pid_file) == ::getpid())
      ::unlink(options.pid_file.c_str());
    ::_exit(exit_status);
  });
}

Result daemonize_exec(const Options& given, const std::vector<std::string>& argv) {
  if (argv.empty()) return {Status::CannotInitDaemon, 0, "no program to run"};
  Options options = given;
  if (options.expected_program.empty()) options.expected_program = argv[0];
  return run_protocol(options, true, [&](int status_fd, int ready_write) {
    if (status_fd == options.ready_fd) status_fd = ::fcntl(status_fd, F_DUPFD_CLOEXEC, 10);
    sanitise_environment(options);
    prepare_daemon(options, status_fd);
    if (ready_write >= 0) {
      if (ready_write != options.ready_fd) {
        if (::dup2(ready_write, options.ready_fd) < 0)
          report_and_exit(status_fd, Status::NotReady,
                          "cannot set up fd " + std::to_string(options.ready_fd));
        ::close(ready_write);
      } else {
        ::fcntl(ready_write, F_SETFD, 0);  // keep it across exec
      }
    }
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::string reason = argv[0] + ": " + errno_text();
    if (!options.pid_file.empty()) ::unlink(options.pid_file.c_str());
    report_and_exit(status_fd, Status::CannotInitDaemon, reason);
  });
}

}  // namespace nixproc::daemon
