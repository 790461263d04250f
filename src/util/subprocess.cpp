#include "util/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <thread>

#include "util/error.h"

extern char** environ;

namespace nixproc {

std::string RunResult::describe() const {
  if (timed_out) return "timed out and was killed";
  if (signal) return std::string("was killed by signal ") + strsignal(signal);
  return "exited with status " + std::to_string(exit_code);
}

std::string find_executable(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

std::vector<std::string> sanitised_environment() {
  std::vector<std::string> env = {std::string("PATH=") + kServicePath};
  for (char** entry = environ; *entry; ++entry) {
    std::string item = *entry;
    std::string name = item.substr(0, item.find('='));
    if (name == "LANG" || name.rfind("LC_", 0) == 0 || name == "TZ" || name == "TERM" ||
        name == "HOME" || name == "USER" || name == "LOGNAME")
      env.push_back(item);
  }
  return env;
}

namespace {

struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() {
    if (::pipe2(fds, O_CLOEXEC) != 0)
      throw Error("cannot create pipe: " + std::string(strerror(errno)));
  }
  ~Pipe() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
  void close_write() {
    ::close(fds[1]);
    fds[1] = -1;
  }
};

std::vector<std::string> merged_environment(const SpawnOptions& options) {
  if (options.replace_environment) return options.environment;
  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry; ++entry) {
    std::string item = *entry;
    merged[item.substr(0, item.find('='))] = item;
  }
  for (const auto& item : options.environment) merged[item.substr(0, item.find('='))] = item;
  std::vector<std::string> env;
  for (auto& [name, item] : merged) env.push_back(item);
  return env;
}

}  // namespace

RunResult run(const std::vector<std::string>& argv, const SpawnOptions& options) {
  if (argv.empty()) throw Error("internal error: empty command");
  std::string program = find_executable(argv[0]);
  if (program.empty()) throw Error("cannot run " + argv[0] + ": command not found");

  std::vector<std::string> env_strings = merged_environment(options);
  std::vector<char*> child_argv, child_env;
  for (const auto& arg : argv) child_argv.push_back(const_cast<char*>(arg.c_str()));
  child_argv.push_back(nullptr);
  for (const auto& item : env_strings) child_env.push_back(const_cast<char*>(item.c_str()));
  child_env.push_back(nullptr);

  Pipe out_pipe, err_pipe;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (options.capture_stdout) posix_spawn_file_actions_adddup2(&actions, out_pipe.fds[1], 1);
  if (options.capture_stderr) posix_spawn_file_actions_adddup2(&actions, err_pipe.fds[1], 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t default_signals, empty_mask;
  sigfillset(&default_signals);
  sigemptyset(&empty_mask);
  posix_spawnattr_setsigdefault(&attributes, &default_signals);
  posix_spawnattr_setsigmask(&attributes, &empty_mask);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  pid_t pid;
  int rc = ::posix_spawn(&pid, program.c_str(), &actions, &attributes, child_argv.data(),
                         child_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) throw Error("cannot run " + program + ": " + strerror(rc));
  out_pipe.close_write();
  err_pipe.close_write();

  RunResult result;
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::seconds(options.timeout_seconds);
  bool out_open = options.capture_stdout, err_open = options.capture_stderr;
  int status = 0;
  bool exited = false;
  bool terminated_for_timeout = false;
  // Read both pipes until the child has exited and the pipes are drained. A
  // daemon the child left behind may hold the pipes open; stop reading then.
  auto exit_time = Clock::time_point{};
  while (true) {
    if (!exited) {
      pid_t waited = ::waitpid(pid, &status, WNOHANG);
      if (waited == pid) {
        exited = true;
        exit_time = Clock::now();
      }
    }
    if (exited &&
        ((!out_open && !err_open) || Clock::now() - exit_time > std::chrono::milliseconds(200)))
      break;
    if (!exited && options.timeout_seconds > 0 && Clock::now() > deadline) {
      result.timed_out = true;
      ::kill(pid, terminated_for_timeout ? SIGKILL : SIGTERM);
      if (!terminated_for_timeout) {
        terminated_for_timeout = true;
        deadline = Clock::now() + std::chrono::seconds(2);
      }
    }
    pollfd fds[2];
    int count = 0;
    if (out_open) fds[count++] = {out_pipe.fds[0], POLLIN, 0};
    if (err_open) fds[count++] = {err_pipe.fds[0], POLLIN, 0};
    if (count == 0) {
      if (!exited) {
        // Nothing to read: block in waitpid unless a timeout needs watching.
        if (options.timeout_seconds == 0) {
          if (::waitpid(pid, &status, 0) == pid) {
            exited = true;
            exit_time = Clock::now();
          }
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }
      continue;
    }
    int ready = ::poll(fds, count, exited ? 20 : 50);
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < count; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buffer[65536];
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      bool is_out = fds[i].fd == out_pipe.fds[0];
      if (n > 0) {
        (is_out ? result.out : result.err).append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        (is_out ? out_open : err_open) = false;
      }
    }
  }
  if (!exited) ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace nixproc
