// s6-style readiness in exec mode: success only once the program writes a
// newline to the fd it was given.
#include <unistd.h>

#include <chrono>

#include "daemon/daemonize.h"
#include "test_support.h"

namespace nixproc::daemon {
namespace {

using namespace testing;

class Readiness : public DaemonTest {
 protected:
  Options with_ready_fd(int fd, int timeout = 10) {
    Options options;
    options.pid_file = path("ready.pid");
    options.ready_fd = fd;
    options.ready_timeout = timeout;
    return options;
  }
  Result start(const Options& options, const std::vector<std::string>& argv) {
    Result result = daemonize_exec(options, argv);
    track(result.pid);
    return result;
  }
};

TEST_F(Readiness, ANewlineMeansReady) {
  for (int fd : {3, 5, 42}) {
    Options options = with_ready_fd(fd);
    options.pid_file = path("ready-" + std::to_string(fd) + ".pid");
    options.environment.additions = {"HOLD_READY_FD=" + std::to_string(fd)};
    Result result = start(options, {hold_program()});
    EXPECT_EQ(result.status, Status::Success) << "fd " << fd << ": " << result.detail;
    EXPECT_FALSE(is_gone(result.pid));
  }
}

TEST_F(Readiness, TheFdIsOnlyTheReadinessPipe) {
  Options options = with_ready_fd(3, 2);
  Result result = start(options, {"/bin/sleep", "30"});
  EXPECT_EQ(result.status, Status::NotReady);
  ASSERT_GT(result.pid, 0);
  EXPECT_EQ(settled_fds(result.pid, {0, 1, 2, 3}), (std::set<int>{0, 1, 2, 3}));
  EXPECT_EQ(link_target(proc_file(result.pid, "fd/3")).rfind("pipe:", 0), 0u);
}

TEST_F(Readiness, ClosingWithoutANewlineIsNotReady) {
  Result result = start(with_ready_fd(5), {"/bin/true"});
  EXPECT_EQ(result.status, Status::NotReady);
  EXPECT_NE(result.detail.find("fd 5"), std::string::npos) << result.detail;
}

TEST_F(Readiness, SilenceUntilTheTimeoutIsNotReady) {
  auto begin = std::chrono::steady_clock::now();
  Result result = start(with_ready_fd(5, 1), {hold_program()});
  auto waited = std::chrono::steady_clock::now() - begin;
  EXPECT_EQ(result.status, Status::NotReady);
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, std::chrono::seconds(5));
  ASSERT_GT(result.pid, 0) << "the PID of the unready daemon is reported";
  EXPECT_FALSE(is_gone(result.pid)) << "and it is left running";
}

TEST_F(Readiness, AStandardFdCannotBeTheReadinessFd) {
  Result result = daemonize_exec(with_ready_fd(1), {hold_program()});
  EXPECT_EQ(result.status, Status::NotReady);
  EXPECT_EQ(result.pid, 0);
  EXPECT_NE(::access(path("ready.pid").c_str(), F_OK), 0) << "nothing was started";
}

}  // namespace
}  // namespace nixproc::daemon
