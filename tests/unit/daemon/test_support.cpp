#include "test_support.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace nixproc::daemon::testing {

namespace {

std::vector<std::string> child_environment(const SpawnOptions& options) {
  auto name_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
  std::vector<std::string> environment;
  for (char** entry = environ; *entry; ++entry) {
    std::string name = name_of(*entry);
    bool dropped = false;
    for (const auto& unset : options.unset_environment) dropped |= name == unset;
    for (const auto& set : options.set_environment) dropped |= name == name_of(set);
    if (!dropped) environment.push_back(*entry);
  }
  for (const auto& set : options.set_environment) environment.push_back(set);
  return environment;
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (const auto& text : strings) pointers.push_back(const_cast<char*>(text.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

int decode(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

pid_t spawn(const std::vector<std::string>& argv, const SpawnOptions& options, int out_fd,
            int err_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (options.close_stdin)
    posix_spawn_file_actions_addclose(&actions, 0);
  else
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  for (auto [from, to] : options.pass_fds) posix_spawn_file_actions_adddup2(&actions, from, to);
  auto environment = child_environment(options);
  auto args = c_strings(argv);
  auto envp = c_strings(environment);
  pid_t pid = -1;
  int error = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return error == 0 ? pid : -1;
}

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

}  // namespace

std::string binary(const std::string& name) {
  return std::string(NIXPROC_BIN_DIR) + "/" + name;
}

const std::string& hold_program() {
  static const std::string path = binary("nixproc-test-hold");
  return path;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::string link_target(const std::string& path) {
  char buffer[4096];
  ssize_t n = ::readlink(path.c_str(), buffer, sizeof buffer);
  return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "";
}

std::string proc_file(pid_t pid, const std::string& entry) {
  return "/proc/" + std::to_string(pid) + "/" + entry;
}

std::string status_field(pid_t pid, const std::string& name) {
  std::istringstream status(read_file(proc_file(pid, "status")));
  for (std::string line; std::getline(status, line);)
    if (line.rfind(name + ":", 0) == 0) {
      std::string value = line.substr(name.size() + 1);
      size_t start = value.find_first_not_of(" \t");
      size_t end = value.find_last_not_of(" \t");
      return start == std::string::npos ? "" : value.substr(start, end - start + 1);
    }
  return "";
}

std::set<int> open_fds(pid_t pid) {
  std::set<int> fds;
  if (DIR* dir = ::opendir(proc_file(pid, "fd").c_str())) {
    while (struct dirent* entry = ::readdir(dir))
      if (entry->d_name[0] != '.') fds.insert(std::atoi(entry->d_name));
    ::closedir(dir);
  }
  return fds;
}

std::set<int> settled_fds(pid_t pid, const std::set<int>& expected) {
  std::set<int> fds = open_fds(pid);
  for (int i = 0; i < 200 && fds != expected; ++i) {
    ::usleep(10 * 1000);
    fds = open_fds(pid);
  }
  return fds;
}

std::set<std::string> environment_of(pid_t pid) {
  std::set<std::string> entries;
  std::string raw = read_file(proc_file(pid, "environ"));
  size_t start = 0;
  while (start < raw.size()) {
    size_t end = raw.find('\0', start);
    if (end == std::string::npos) end = raw.size();
    entries.insert(raw.substr(start, end - start));
    start = end + 1;
  }
  return entries;
}

bool is_gone(pid_t pid) {
  std::string stat = read_file(proc_file(pid, "stat"));
  auto comm_end = stat.rfind(')');
  return stat.empty() || comm_end == std::string::npos || stat.compare(comm_end, 3, ") Z") == 0;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

void stop_process(pid_t pid) {
  if (pid <= 0 || is_gone(pid)) {
    if (pid > 0) ::waitpid(pid, nullptr, WNOHANG);
    return;
  }
  ::kill(pid, SIGTERM);
  if (!eventually([&] { return is_gone(pid); }, std::chrono::seconds(5))) {
    ::kill(pid, SIGKILL);
    eventually([&] { return is_gone(pid); });
  }
  ::waitpid(pid, nullptr, WNOHANG);  // ours (a child, or adopted as subreaper)
}

pid_t pid_in_file(const std::string& path) {
  return static_cast<pid_t>(std::atoi(read_file(path).c_str()));
}

Subreaper::Subreaper() {
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
}

Subreaper::~Subreaper() {
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
}

int wait_for_exit(pid_t pid, std::chrono::milliseconds limit) {
  int wait_status = 0;
  bool done = eventually(
      [&] {
        pid_t waited = ::waitpid(pid, &wait_status, WNOHANG);
        return waited == pid || (waited < 0 && errno != EINTR);
      },
      limit);
  return done ? decode(wait_status) : -1;
}

RunResult run_program(const std::vector<std::string>& argv, const SpawnOptions& options) {
  RunResult result;
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return result;
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return result;
  }
  pid_t pid = spawn(argv, options, out[1], err[1]);
  ::close(out[1]);
  ::close(err[1]);
  struct pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  while (pid > 0 && open_count > 0) {
    if (::poll(fds, 2, 30000) <= 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buffer[4096];
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else {
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  ::close(out[0]);
  ::close(err[0]);
  if (pid > 0) result.status = wait_for_exit(pid, std::chrono::seconds(30));
  return result;
}

pid_t start_program(const std::vector<std::string>& argv, const SpawnOptions& options) {
  int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  pid_t pid = spawn(argv, options, null, null);
  ::close(null);
  return pid;
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  socklen_t length = sizeof address;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    port = ntohs(address.sin_port);
  ::close(fd);
  return port;
}

std::string http_exchange(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = loopback(port);
  std::string reply;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    struct timeval timeout = {10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
      reply.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return reply;
}

bool port_accepts(int port) {
  return eventually([&] {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = loopback(port);
    bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return connected;
  });
}

void DaemonTest::SetUp() {
  char pattern[] = "/tmp/nixproc-daemon-test-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  dir_ = pattern;
  ::chmod(dir_.c_str(), 0755);
}

void DaemonTest::TearDown() {
  for (pid_t pid : tracked_) stop_process(pid);
  while (::waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  std::error_code ignored;
  std::filesystem::permissions(dir_, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::add, ignored);
  std::filesystem::remove_all(dir_, ignored);
}

pid_t DaemonTest::track(pid_t pid) {
  if (pid > 0) tracked_.push_back(pid);
  return pid;
}

}  // namespace nixproc::daemon::testing
