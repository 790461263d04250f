// The daemoniser, its PID-file rules and its tools, exercised for real: every
// test forks real daemons in a temporary directory and stops them again.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "daemon/daemonize.h"
#include "daemon/pidfile.h"

namespace nixproc::daemon {
namespace {

const std::string kBin = NIXPROC_BIN_DIR;
const std::string kHold = kBin + "/nixproc-test-hold";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool gone(pid_t pid) {
  std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
  return stat.empty() || stat.find(") Z") != std::string::npos;
}

void stop(pid_t pid) {
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);
  for (int i = 0; i < 200 && !gone(pid); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (!gone(pid)) ::kill(pid, SIGKILL);
  for (int i = 0; i < 200 && !gone(pid); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

std::string status_field(pid_t pid, const std::string& name) {
  std::istringstream status(slurp("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(status, line);)
    if (line.rfind(name + ":", 0) == 0) {
      std::string value = line.substr(name.size() + 1);
      return value.substr(value.find_first_not_of(" \t"));
    }
  return "";
}

std::string link_target(const std::string& path) {
  char buffer[4096];
  ssize_t n = ::readlink(path.c_str(), buffer, sizeof buffer);
  return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "";
}

class Daemon : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/nixproc-daemon-test-XXXXXX";
    dir_ = ::mkdtemp(pattern);
    pid_file_ = dir_ + "/hold.pid";
  }
  void TearDown() override {
    for (pid_t pid : started_) stop(pid);
    std::system(("rm -rf " + dir_).c_str());
  }
  Result start_hold(Options options, std::vector<std::string> args = {}) {
    args.insert(args.begin(), kHold);
    Result result = daemonize_exec(options, args);
    if (result.pid > 0) started_.push_back(result.pid);
    return result;
  }
  Options defaults() {
    Options options;
    options.pid_file = pid_file_;
    options.output = dir_ + "/out.log";
    return options;
  }
  std::string dir_, pid_file_;
  std::vector<pid_t> started_;
};

TEST_F(Daemon, ExecModeWritesThePidOfTheProgram) {
  Result result = start_hold(defaults(), {"a b", "c"});
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  ASSERT_GT(result.pid, 0);
  EXPECT_EQ(slurp(pid_file_), std::to_string(result.pid) + "\n");
  std::string proc = "/proc/" + std::to_string(result.pid);
  EXPECT_EQ(link_target(proc + "/exe"), kHold);
  EXPECT_EQ(link_target(proc + "/cwd"), "/");
  EXPECT_EQ(link_target(proc + "/fd/0"), "/dev/null");
  EXPECT_EQ(link_target(proc + "/fd/1"), dir_ + "/out.log");
  EXPECT_EQ(link_target(proc + "/fd/2"), dir_ + "/out.log");
  EXPECT_EQ(slurp(proc + "/cmdline"), kHold + std::string("\0a b\0c\0", 7));
  // A new session, and not its leader: it can never get a terminal again.
  EXPECT_EQ(::getsid(result.pid), ::getpgid(result.pid));
  EXPECT_NE(::getsid(result.pid), result.pid);
  EXPECT_EQ(status_field(result.pid, "Umask"), "0022");
  EXPECT_EQ(check_pid_file(pid_file_, kHold).state, PidFileCheck::Running);
}

TEST_F(Daemon, EnvironmentIsSanitisedUnlessInherited) {
  ::setenv("NIXPROC_TEST_SECRET", "hunter2", 1);
  Options options = defaults();
  options.environment = {"ADDED=yes"};
  Result clean = start_hold(options);
  ASSERT_EQ(clean.status, Status::Success) << clean.detail;
  std::string environ = slurp("/proc/" + std::to_string(clean.pid) + "/environ");
  EXPECT_EQ(environ.find("NIXPROC_TEST_SECRET"), std::string::npos);
  EXPECT_NE(environ.find(std::string("ADDED=yes\0", 10)), std::string::npos);
  EXPECT_NE(environ.find("PATH="), std::string::npos);

  options.inherit_environment = true;
  options.pid_file = dir_ + "/inherit.pid";
  Result inherited = start_hold(options);
  ASSERT_EQ(inherited.status, Status::Success) << inherited.detail;
  EXPECT_NE(slurp("/proc/" + std::to_string(inherited.pid) + "/environ")
                .find("NIXPROC_TEST_SECRET=hunter2"),
            std::string::npos);
  ::unsetenv("NIXPROC_TEST_SECRET");
}

TEST_F(Daemon, MissingProgramIsReportedAndLeavesNoPidFile) {
  Result result = daemonize_exec(defaults(), {dir_ + "/no-such-program"});
  EXPECT_EQ(result.status, Status::CannotInitDaemon);
  EXPECT_NE(result.detail.find("no-such-program"), std::string::npos);
  EXPECT_NE(::access(pid_file_.c_str(), F_OK), 0);
}

TEST_F(Daemon, BadDirectoryAndUnwritablePidFile) {
  Options options = defaults();
  options.directory = dir_ + "/missing";
  EXPECT_EQ(daemonize_exec(options, {kHold}).status, Status::CannotChdir);
  options = defaults();
  options.pid_file = dir_ + "/missing/x.pid";
  EXPECT_EQ(daemonize_exec(options, {kHold}).status, Status::CannotCreatePidFile);
}

TEST_F(Daemon, ALiveProcessIsNotStartedTwice) {
  Result first = start_hold(defaults());
  ASSERT_EQ(first.status, Status::Success);
  Result second = daemonize_exec(defaults(), {kHold});
  EXPECT_EQ(second.status, Status::AlreadyRunning);
  EXPECT_EQ(slurp(pid_file_), std::to_string(first.pid) + "\n");
}

TEST_F(Daemon, StalePidFilesAreReplaced) {
  // A PID that no longer exists.
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  std::ofstream(pid_file_) << child << "\n";
  EXPECT_EQ(check_pid_file(pid_file_, kHold).state, PidFileCheck::Stale);
  Result result = start_hold(defaults());
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  stop(result.pid);

  // A live PID of a process that started after the file was written (reused).
  std::ofstream(pid_file_, std::ios::trunc) << ::getpid() << "\n";
  struct timeval old_times[2] = {{1000000000, 0}, {1000000000, 0}};
  ::utimes(pid_file_.c_str(), old_times);
  EXPECT_EQ(check_pid_file(pid_file_, "").state, PidFileCheck::Stale);
  result = start_hold(defaults());
  EXPECT_EQ(result.status, Status::Success) << result.detail;
}

TEST_F(Daemon, PidFileChecks) {
  EXPECT_EQ(check_pid_file(dir_ + "/absent.pid", kHold).state, PidFileCheck::Absent);
  std::ofstream(dir_ + "/garbage.pid") << "not a pid\n";
  EXPECT_EQ(check_pid_file(dir_ + "/garbage.pid", kHold).state, PidFileCheck::Stale);
  // Our own PID, written now: alive and started before, but not the program asked for.
  std::ofstream(dir_ + "/self.pid") << ::getpid();
  EXPECT_EQ(check_pid_file(dir_ + "/self.pid", "").state, PidFileCheck::Running);
  EXPECT_EQ(check_pid_file(dir_ + "/self.pid", kHold).state, PidFileCheck::Stale);
  EXPECT_EQ(check_pid_file(dir_ + "/self.pid", "/proc/self/exe").state, PidFileCheck::Running);
  Result result = start_hold(defaults());
  ASSERT_EQ(result.status, Status::Success);
  auto found = find_processes_by_program(kHold);
  EXPECT_NE(std::find(found.begin(), found.end(), result.pid), found.end());
}

TEST_F(Daemon, StrayDescriptorsSignalsAndMaskAreReset) {
  int stray = ::open("/dev/null", O_RDONLY);  // inheritable
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigprocmask(SIG_BLOCK, &block, nullptr);
  signal(SIGHUP, SIG_IGN);
  Result result = start_hold(defaults());
  sigprocmask(SIG_UNBLOCK, &block, nullptr);
  signal(SIGHUP, SIG_DFL);
  ::close(stray);
  ASSERT_EQ(result.status, Status::Success);
  std::string fds = "/proc/" + std::to_string(result.pid) + "/fd";
  EXPECT_EQ(link_target(fds + "/" + std::to_string(stray)), "");
  EXPECT_EQ(link_target(fds + "/3"), "");
  EXPECT_EQ(status_field(result.pid, "SigIgn"), "0000000000000000");
  // nixproc-test-hold blocks TERM and INT itself (for sigwait), maybe not yet; USR1 never.
  unsigned long long blocked = std::stoull(status_field(result.pid, "SigBlk"), nullptr, 16);
  EXPECT_EQ(blocked & ~((1ULL << (SIGTERM - 1)) | (1ULL << (SIGINT - 1))), 0ULL);
}

TEST_F(Daemon, ReadinessThroughAFileDescriptor) {
  Options options = defaults();
  options.ready_fd = 5;
  options.environment = {"HOLD_READY_FD=5"};
  Result ready = start_hold(options);
  EXPECT_EQ(ready.status, Status::Success) << ready.detail;

  options = defaults();
  options.pid_file = dir_ + "/quiet.pid";
  options.ready_fd = 5;
  options.ready_timeout = 1;
  Result silent = start_hold(options);  // never writes: times out
  EXPECT_EQ(silent.status, Status::NotReady);

  options.pid_file = dir_ + "/closed.pid";
  Result closed = daemonize_exec(options, {"/bin/sh", "-c", "exec 5>&-; sleep 0.2"});
  EXPECT_EQ(closed.status, Status::NotReady);
}

TEST_F(Daemon, CallbackModeReportsInitialisation) {
  Options options = defaults();
  options.pid_file = dir_ + "/callback.pid";
  Result failed = daemonize(
      options, [] { return false; }, [] { return 0; });
  EXPECT_EQ(failed.status, Status::CannotInitDaemon);
  EXPECT_NE(::access(options.pid_file.c_str(), F_OK), 0);
  Result ok = daemonize(
      options, [] { return true; }, [] { return 0; });
  EXPECT_EQ(ok.status, Status::Success);
  for (int i = 0; i < 100 && ::access(options.pid_file.c_str(), F_OK) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_NE(::access(options.pid_file.c_str(), F_OK), 0)
      << "the daemon removes its PID file on exit";
}

TEST_F(Daemon, PrivilegesAreDroppedWithGroups) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  Options options = defaults();
  options.output.clear();
  options.user = "nobody";
  Result result = start_hold(options);
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_EQ(status_field(result.pid, "Uid"), "65534\t65534\t65534\t65534");
  EXPECT_EQ(status_field(result.pid, "Gid"), "65534\t65534\t65534\t65534");
  options.user = "no-such-user-here";
  options.pid_file = dir_ + "/nouser.pid";
  Result missing = daemonize_exec(options, {kHold});
  EXPECT_EQ(missing.status, Status::CannotDropPrivileges);
  EXPECT_NE(missing.detail.find("Cannot find password entry for user: no-such-user-here"),
            std::string::npos);
  EXPECT_NE(::access(options.pid_file.c_str(), F_OK), 0);
}

// The tools, through their binaries.
struct Output {
  int status;
  std::string out;
};

Output run(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  std::string out;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string http_get(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return "";
  }
  (void)!::write(fd, request.data(), request.size());
  std::string reply;
  char buffer[4096];
  while (ssize_t n = ::read(fd, buffer, sizeof buffer)) {
    if (n < 0) break;
    reply.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return reply;
}

TEST_F(Daemon, NixprocDaemonToolExitStatuses) {
  EXPECT_EQ(run(kBin + "/nixproc-daemon").status, 100);
  EXPECT_EQ(run(kBin + "/nixproc-daemon --pid-file " + pid_file_ + " --umask 9 -- " + kHold).status,
            100);
  Output missing =
      run(kBin + "/nixproc-daemon --pid-file " + pid_file_ + " -- " + dir_ + "/missing");
  EXPECT_EQ(missing.status, 4);
  EXPECT_NE(missing.out.find("Cannot initialize the daemon!"), std::string::npos);
  EXPECT_EQ(run(kBin + "/nixproc-daemon --pid-file " + pid_file_ + " -- " + kHold).status, 0);
  pid_t pid = std::atoi(slurp(pid_file_).c_str());
  started_.push_back(pid);
  EXPECT_EQ(run(kBin + "/nixproc-daemon --pid-file " + pid_file_ + " -- " + kHold).status, 17);
  Output pidof = run(kBin + "/nixproc-pidof --pid-file " + pid_file_ + " " + kHold);
  EXPECT_EQ(pidof.status, 0);
  EXPECT_EQ(pidof.out, std::to_string(pid) + "\n");
  EXPECT_EQ(run(kBin + "/nixproc-pidof --pid-file " + pid_file_ + " /bin/sleep").status, 1);
  EXPECT_EQ(run(kBin + "/nixproc-pidof --pid-file " + dir_ + "/none.pid " + kHold).status, 3);
  EXPECT_EQ(run(kBin + "/nixproc-pidof").status, 4);
  stop(pid);
  EXPECT_EQ(run(kBin + "/nixproc-pidof --pid-file " + pid_file_ + " " + kHold).status, 1);
  EXPECT_EQ(run(kBin + "/nixproc-chainload-user").status, 1);
  Output unknown = run(kBin + "/nixproc-chainload-user no-such-user-here /bin/true");
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.out.find("Cannot find password entry for user: no-such-user-here"),
            std::string::npos);
  if (::geteuid() == 0) {
    Output id = run(kBin + "/nixproc-chainload-user nobody /usr/bin/id -u");
    EXPECT_EQ(id.out, "65534\n");
  }
}

TEST_F(Daemon, WebappServesItsPageAsADaemon) {
  int port = free_port();
  std::string env = "PORT=" + std::to_string(port) + " PID_FILE=" + pid_file_ + " ";
  EXPECT_NE(run("env -u PORT " + kBin + "/webapp").out.find("We need a PORT environment variable"),
            std::string::npos);
  Output no_pid_file = run("PORT=1 " + kBin + "/webapp -D");
  EXPECT_EQ(no_pid_file.status, 1);
  EXPECT_NE(no_pid_file.out.find("We need the PID_FILE environment variable"), std::string::npos);

  ASSERT_EQ(run(env + kBin + "/webapp -D").status, 0);
  pid_t pid = std::atoi(slurp(pid_file_).c_str());
  started_.push_back(pid);
  std::string reply = http_get(port, "GET / HTTP/1.0\r\n\r\n");
  EXPECT_NE(reply.find("200 OK"), std::string::npos);
  EXPECT_NE(reply.find("    Simple test webapp listening on port: " + std::to_string(port) + "\n"),
            std::string::npos);
  EXPECT_EQ(http_get(port, "DELETE / HTTP/1.0\r\n\r\n").find("200"), std::string::npos);
  EXPECT_EQ(run(env + kBin + "/webapp -D").status, 17) << "a second instance is refused";
  stop(pid);
  EXPECT_TRUE(gone(pid));
  EXPECT_NE(::access(pid_file_.c_str(), F_OK), 0) << "the webapp removes its PID file";
  // A PID file left by a dead webapp does not block the next start.
  std::ofstream(pid_file_) << 999999 << "\n";
  ASSERT_EQ(run(env + kBin + "/webapp -D").status, 0);
  started_.push_back(std::atoi(slurp(pid_file_).c_str()));
}

}  // namespace
}  // namespace nixproc::daemon
