// The example webapp through its binary: environment checks, the page,
// foreground and daemon mode, signals and the PID file.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

#include "test_support.h"

namespace nixproc::daemon {
namespace {

using namespace testing;

std::string expected_page(int port) {
  return "<!DOCTYPE html>\n<html>\n  <head>\n    <title>Simple test webapp</title>\n  </head>\n"
         "  <body>\n    Simple test webapp listening on port: " +
         std::to_string(port) + "\n  </body>\n</html>\n";
}

std::string body_of(const std::string& reply) {
  size_t end = reply.find("\r\n\r\n");
  return end == std::string::npos ? "" : reply.substr(end + 4);
}

class Webapp : public DaemonTest {
 protected:
  void SetUp() override {
    DaemonTest::SetUp();
    port_ = free_port();
    ASSERT_GT(port_, 0);
  }
  SpawnOptions environment(bool with_pid_file = true) {
    SpawnOptions spawn;
    spawn.set_environment = {"PORT=" + std::to_string(port_)};
    if (with_pid_file) spawn.set_environment.push_back("PID_FILE=" + path("webapp.pid"));
    return spawn;
  }
  RunResult run_webapp(const std::vector<std::string>& args, const SpawnOptions& spawn) {
    std::vector<std::string> argv = {binary("webapp")};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv, spawn);
  }
  int port_ = 0;
};

TEST_F(Webapp, NeedsPortAndInDaemonModeAPidFile) {
  SpawnOptions no_port;
  no_port.unset_environment = {"PORT"};
  RunResult run = run_webapp({"-D"}, no_port);
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err,
            "We need a PORT environment variable that specifies to which port the HTTP service "
            "should bind to!\n");
  SpawnOptions no_pid_file = environment(false);
  no_pid_file.unset_environment = {"PID_FILE"};
  run = run_webapp({"ignored", "-D"}, no_pid_file);
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err,
            "We need the PID_FILE environment variable that specifies the path to a file storing "
            "the PID of the daemon process!\n");
}

TEST_F(Webapp, ServesThePageInTheForegroundAndStopsOnSignals) {
  for (int signal : {SIGTERM, SIGINT}) {
    pid_t pid = track(start_program({binary("webapp"), "-d", "--ignored"}, environment(false)));
    ASSERT_TRUE(port_accepts(port_));
    std::string reply = http_exchange(port_, "GET /any/path?x=1 HTTP/1.0\r\n\r\n");
    EXPECT_EQ(reply.rfind("HTTP/1.", 0), 0u) << reply;
    EXPECT_NE(reply.find(" 200 OK\r\n"), std::string::npos) << reply;
    EXPECT_EQ(body_of(reply), expected_page(port_));
    EXPECT_NE(reply.find("Content-Length: " + std::to_string(expected_page(port_).size())),
              std::string::npos);
    EXPECT_EQ(reply.find("Content-Type"), std::string::npos);

    EXPECT_EQ(http_exchange(port_, "DELETE / HTTP/1.0\r\n\r\n"), "") << "closed, no response";
    EXPECT_EQ(http_exchange(port_, "POST / HTTP/1.0\r\nContent-Length: 1\r\n\r\nx"), "");
    EXPECT_EQ(http_exchange(port_, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"),
              "")
        << "a GET with a body";

    auto begin = std::chrono::steady_clock::now();
    ::kill(pid, signal);
    EXPECT_EQ(wait_for_exit(pid, std::chrono::seconds(5)), 0) << "signal " << signal;
    EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::milliseconds(1500));
  }
}

TEST_F(Webapp, ABusyPortIsReportedInTheForeground) {
  int blocker = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port_));
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  ASSERT_EQ(::bind(blocker, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(blocker, 1), 0);
  RunResult run = run_webapp({}, environment(false));
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "Cannot start HTTP service!\n");

  RunResult daemon = run_webapp({"-D"}, environment());
  EXPECT_EQ(daemon.status, 4) << daemon.err;
  EXPECT_EQ(daemon.err.rfind("Cannot initialize the daemon!", 0), 0u) << daemon.err;
  EXPECT_NE(::access(path("webapp.pid").c_str(), F_OK), 0) << "no PID file is left";
  ::close(blocker);
}

TEST_F(Webapp, RunsAsADaemon) {
  RunResult run = run_webapp({"-D"}, environment());
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out + run.err, "");
  pid_t pid = track(pid_in_file(path("webapp.pid")));
  EXPECT_EQ(read_file(path("webapp.pid")), std::to_string(pid) + "\n");
  struct stat st;
  ASSERT_EQ(::stat(path("webapp.pid").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  EXPECT_EQ(link_target(proc_file(pid, "exe")), binary("webapp"));
  EXPECT_EQ(status_field(pid, "Umask"), "0000");
  EXPECT_EQ(link_target(proc_file(pid, "cwd")), "/");
  EXPECT_EQ(environment_of(pid).count("PID_FILE=" + path("webapp.pid")), 1u)
      << "the webapp keeps its environment";

  // Ready means serving: no waiting needed.
  EXPECT_EQ(body_of(http_exchange(port_, "GET / HTTP/1.0\r\n\r\n")), expected_page(port_));

  RunResult second = run_webapp({"-D"}, environment());
  EXPECT_EQ(second.status, 17);
  EXPECT_EQ(second.err.rfind("The daemon is already running!", 0), 0u) << second.err;

  ::kill(pid, SIGTERM);
  EXPECT_TRUE(eventually([&] { return is_gone(pid); }, std::chrono::milliseconds(1500)));
  EXPECT_TRUE(eventually([&] { return ::access(path("webapp.pid").c_str(), F_OK) != 0; }))
      << "it removes its PID file";
}

TEST_F(Webapp, AStalePidFileDoesNotBlockTheStart) {
  // The original refused to start (exit 3) until someone removed the file.
  write_file(path("webapp.pid"), "999999\n");
  RunResult run = run_webapp({"-D"}, environment());
  ASSERT_EQ(run.status, 0) << run.err;
  pid_t pid = track(pid_in_file(path("webapp.pid")));
  EXPECT_NE(pid, 999999);
  EXPECT_EQ(body_of(http_exchange(port_, "GET / HTTP/1.0\r\n\r\n")), expected_page(port_));
}

}  // namespace
}  // namespace nixproc::daemon
