#include "daemon/proxy_children.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "daemon/privileges.h"

namespace nixproc::daemon {

int decode_wait_status(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 1;
}

std::string describe_exit(int status) {
  return status > 128 ? "was killed by signal " + std::to_string(status - 128)
                      : "exited with status " + std::to_string(status);
}

std::map<pid_t, int> reap_children() {
  std::map<pid_t, int> reaped;
  int wait_status = 0;
  for (pid_t pid; (pid = ::waitpid(-1, &wait_status, WNOHANG)) > 0;)
    reaped[pid] = decode_wait_status(wait_status);
  return reaped;
}

pid_t start_child(const std::vector<std::string>& command, const ProxyOptions& options,
                  bool as_user, const sigset_t& original_mask, std::string* problem) {
  std::vector<char*> argv;
  for (const auto& argument : command) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    *problem = std::string("cannot create a pipe: ") + std::strerror(errno);
    return -1;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    *problem = std::string("cannot fork: ") + std::strerror(errno);
    ::close(report[0]);
    ::close(report[1]);
    return -1;
  }
  if (pid == 0) {
    ::close(report[0]);
    ::sigprocmask(SIG_SETMASK, &original_mask, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    std::string failure;
    if (options.directory && ::chdir(options.directory->c_str()) != 0)
      failure = "cannot change to " + *options.directory + ": " + std::strerror(errno);
    if (failure.empty() && as_user && !options.user.empty())
      failure = drop_privileges(options.user);
    if (failure.empty()) {
      if (options.umask) ::umask(*options.umask);
      ::execvp(argv[0], argv.data());
      failure = command[0] + ": " + std::strerror(errno);
    }
    ssize_t ignored = ::write(report[1], failure.data(), failure.size());
    (void)ignored;
    ::_exit(127);
  }
  ::close(report[1]);
  char buffer[512];
  for (ssize_t n; (n = ::read(report[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    problem->append(buffer, static_cast<size_t>(n));
  }
  ::close(report[0]);
  if (problem->empty()) return pid;
  ::waitpid(pid, nullptr, 0);
  return -1;
}

int next_signal(const sigset_t& signals, long long limit_ms) {
  long long ms = std::max<long long>(0, limit_ms);
  struct timespec timeout = {static_cast<time_t>(ms / 1000),
                             static_cast<long>(ms % 1000) * 1000000};
  int signal = ::sigtimedwait(&signals, nullptr, &timeout);
  return signal > 0 ? signal : 0;
}

}  // namespace nixproc::daemon
