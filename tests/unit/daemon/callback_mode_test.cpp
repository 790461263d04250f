// daemonize() with callbacks, the mode of self-daemonising programs such as
// the webapp. The callbacks run in the daemon, a fork of this test process,
// so they only report through files; the test reads them.
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "daemon/daemonize.h"
#include "test_support.h"

namespace nixproc::daemon {
namespace {

using namespace testing;

class CallbackMode : public DaemonTest {
 protected:
  Options defaults() {
    Options options;
    options.pid_file = path("callback.pid");
    return options;
  }
};

// Written by the daemon: what it sees of itself, one fact per line.
void report(const std::string& file) {
  std::string text;
  text += "pid " + std::to_string(::getpid()) + "\n";
  std::string pid_file = read_file(file + ".pidfile-copy");
  if (!pid_file.empty() && pid_file.back() == '\n') pid_file.replace(pid_file.size() - 1, 1, "\\n");
  text += "pidfile " + pid_file + "\n";
  text += "umask " + status_field(::getpid(), "Umask") + "\n";
  text += "sigblk " + status_field(::getpid(), "SigBlk") + "\n";
  text += "sigign " + status_field(::getpid(), "SigIgn") + "\n";
  text += "cwd " + link_target("/proc/self/cwd") + "\n";
  text += "stdout " + link_target("/proc/self/fd/1") + "\n";
  const char* secret = std::getenv("NIXPROC_TEST_SECRET");
  text += std::string("secret ") + (secret ? secret : "(unset)") + "\n";
  std::string fds;
  for (int fd : open_fds(::getpid())) fds += std::to_string(fd) + ",";
  text += "fds " + fds + "\n";
  write_file(file + ".tmp", text);
  std::rename((file + ".tmp").c_str(), file.c_str());
}

std::string line(const std::string& report_text, const std::string& key) {
  size_t start = report_text.find(key + " ");
  if (start == std::string::npos) return "(missing)";
  start += key.size() + 1;
  return report_text.substr(start, report_text.find('\n', start) - start);
}

TEST_F(CallbackMode, AFailedInitialisationIsReported) {
  bool ran = false;
  Result result = daemonize(
      defaults(), [] { return false; }, [&] { return ran = true, 0; });
  EXPECT_EQ(result.status, Status::CannotInitDaemon);
  EXPECT_EQ(result.pid, 0);
  EXPECT_NE(::access(path("callback.pid").c_str(), F_OK), 0) << "its PID file is removed";

  result = daemonize(
      defaults(), []() -> bool { throw std::runtime_error("no database"); }, [] { return 0; });
  EXPECT_EQ(result.status, Status::CannotInitDaemon);
  EXPECT_EQ(result.detail, "no database");
  EXPECT_NE(::access(path("callback.pid").c_str(), F_OK), 0);
}

TEST_F(CallbackMode, TheDaemonStartsFromACleanState) {
  std::string report_file = path("report");
  ::setenv("NIXPROC_TEST_SECRET", "hunter2", 1);
  int stray = ::open("/dev/null", O_RDONLY);
  sigset_t blocked, previous;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGTERM);
  ::sigprocmask(SIG_BLOCK, &blocked, &previous);
  auto previous_hup = ::signal(SIGHUP, SIG_IGN);
  mode_t previous_umask = ::umask(077);

  Options options = defaults();
  options.umask = 0;
  Result result = daemonize(
      options, [] { return true; },
      [&] {
        // Copy the PID file while it exists, then report.
        write_file(report_file + ".pidfile-copy", read_file(path("callback.pid")));
        report(report_file);
        return 0;
      });

  ::umask(previous_umask);
  ::signal(SIGHUP, previous_hup);
  ::sigprocmask(SIG_SETMASK, &previous, nullptr);
  ::close(stray);
  ::unsetenv("NIXPROC_TEST_SECRET");

  ASSERT_EQ(result.status, Status::Success) << result.detail;
  ASSERT_TRUE(eventually([&] { return ::access(report_file.c_str(), F_OK) == 0; }));
  std::string text = read_file(report_file);
  EXPECT_EQ(line(text, "pid"), std::to_string(result.pid));
  EXPECT_EQ(line(text, "pidfile"), std::to_string(result.pid) + "\\n");
  EXPECT_EQ(line(text, "umask"), "0000");
  EXPECT_EQ(line(text, "sigblk"), "0000000000000000");
  EXPECT_EQ(line(text, "sigign"), "0000000000000000");
  EXPECT_EQ(line(text, "cwd"), "/");
  EXPECT_EQ(line(text, "stdout"), "/dev/null");
  EXPECT_EQ(line(text, "secret"), "(unset)");
  // 0-2 and the one open_fds() uses to read /proc/self/fd.
  EXPECT_EQ(line(text, "fds"), "0,1,2,3,");
  EXPECT_TRUE(eventually([&] { return ::access(path("callback.pid").c_str(), F_OK) != 0; }))
      << "the daemon removes its PID file when it ends";
}

TEST_F(CallbackMode, TheMainLoopsResultIsTheExitStatus) {
  Subreaper reaper;  // the daemon becomes our child once the helper exits
  Result result = daemonize(
      defaults(), [] { return true; }, [] { return 7; });
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_EQ(wait_for_exit(result.pid), 7);
  EXPECT_NE(::access(path("callback.pid").c_str(), F_OK), 0);

  result = daemonize(
      defaults(), [] { return true; }, [] { return 0; });
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_EQ(wait_for_exit(result.pid), 0) << "a removed PID file is no error (the original's bug)";
}

TEST_F(CallbackMode, AFailedPidFileRemovalIsTheExitStatus) {
  Subreaper reaper;
  Options options = defaults();
  std::string directory = dir_;
  if (::geteuid() == 0)
    options.user = "nobody";  // root may unlink anywhere; nobody not in our directory
  Result result = daemonize(
      options, [] { return true; },
      [&] {
        ::chmod(directory.c_str(), 0555);
        return 0;
      });
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_EQ(wait_for_exit(result.pid), static_cast<int>(Status::CannotUnlinkPidFile));
  ::chmod(directory.c_str(), 0755);
  EXPECT_EQ(::access(path("callback.pid").c_str(), F_OK), 0);
}

TEST_F(CallbackMode, AForeignPidFileIsLeftAlone) {
  Subreaper reaper;
  std::string pid_file = path("callback.pid");
  Result result = daemonize(
      defaults(), [] { return true; },
      [&] {
        write_file(pid_file, "1\n");  // someone else's now
        return 0;
      });
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_EQ(wait_for_exit(result.pid), 0);
  EXPECT_EQ(read_file(pid_file), "1\n");
}

TEST_F(CallbackMode, ARunningInstanceBlocksTheNextOne) {
  Result first = daemonize(
      defaults(), [] { return true; }, [] { return ::pause(), 0; });
  track(first.pid);
  ASSERT_EQ(first.status, Status::Success) << first.detail;
  bool initialised = false;
  Result second = daemonize(
      defaults(), [&] { return initialised = true; }, [] { return 0; });
  EXPECT_EQ(second.status, Status::AlreadyRunning);
  EXPECT_EQ(read_file(path("callback.pid")), std::to_string(first.pid) + "\n");
}

}  // namespace
}  // namespace nixproc::daemon
