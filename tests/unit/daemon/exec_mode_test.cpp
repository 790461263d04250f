// daemonize_exec(): the program really runs as a detached daemon, with the
// state daemon(7) asks for, and the PID file rules hold.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "daemon/daemonize.h"
#include "daemon/pidfile.h"
#include "test_support.h"

namespace nixproc::daemon {
namespace {

using namespace testing;

class ExecMode : public DaemonTest {
 protected:
  Options defaults() {
    Options options;
    options.pid_file = path("hold.pid");
    options.output = path("out.log");
    return options;
  }
  Result start(const Options& options, std::vector<std::string> argv) {
    Result result = daemonize_exec(options, argv);
    track(result.pid);
    return result;
  }
  Result start_hold(const Options& options, std::vector<std::string> args = {}) {
    args.insert(args.begin(), hold_program());
    return start(options, args);
  }
};

TEST_F(ExecMode, WritesThePidOfTheProgramAndDetaches) {
  Result result = start_hold(defaults(), {"a b", "", "-D-"});
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  ASSERT_GT(result.pid, 0);
  EXPECT_EQ(read_file(path("hold.pid")), std::to_string(result.pid) + "\n");
  struct stat st;
  ASSERT_EQ(::stat(path("hold.pid").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);

  std::string proc = proc_file(result.pid, "");
  EXPECT_EQ(link_target(proc + "exe"), hold_program());
  EXPECT_EQ(read_file(proc + "cmdline"), hold_program() + std::string("\0a b\0\0-D-\0", 10));
  EXPECT_EQ(link_target(proc + "cwd"), "/");
  EXPECT_EQ(link_target(proc + "fd/0"), "/dev/null");
  EXPECT_EQ(link_target(proc + "fd/1"), path("out.log"));
  EXPECT_EQ(link_target(proc + "fd/2"), path("out.log"));
  EXPECT_EQ(status_field(result.pid, "Umask"), "0022");
  // Its own session, of which it is not the leader, and adopted by init.
  EXPECT_NE(::getsid(result.pid), result.pid);
  EXPECT_NE(::getsid(result.pid), ::getsid(0));
  EXPECT_NE(status_field(result.pid, "PPid"), std::to_string(::getpid()));
  EXPECT_EQ(check_pid_file(path("hold.pid"), hold_program()).state, PidFileCheck::Running);
}

TEST_F(ExecMode, OutputIsAppendedToTheLog) {
  write_file(path("out.log"), "earlier\n");
  Options options = defaults();
  Result result = start(options, {"/bin/sh", "-c", "echo to-stdout; echo to-stderr >&2"});
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_TRUE(eventually([&] { return is_gone(result.pid); }));
  EXPECT_EQ(read_file(path("out.log")), "earlier\nto-stdout\nto-stderr\n");

  options.output = path("new.log");
  options.pid_file = path("new.pid");
  ASSERT_EQ(start(options, {"/bin/true"}).status, Status::Success);
  struct stat st;
  ASSERT_EQ(::stat(path("new.log").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST_F(ExecMode, UmaskAndDirectoryAreConfigurable) {
  Options options = defaults();
  options.umask = 027;
  options.directory = dir_;
  Result result = start_hold(options);
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_EQ(status_field(result.pid, "Umask"), "0027");
  EXPECT_EQ(link_target(proc_file(result.pid, "cwd")), dir_);
}

TEST_F(ExecMode, EnvironmentIsSanitisedUnlessInherited) {
  ::setenv("NIXPROC_TEST_SECRET", "hunter2", 1);
  ::setenv("LC_TIME", "C", 1);
  Options options = defaults();
  options.environment.additions = {"ADDED=yes", "LC_TIME=POSIX"};
  Result clean = start_hold(options);
  ASSERT_EQ(clean.status, Status::Success) << clean.detail;
  auto environment = environment_of(clean.pid);
  EXPECT_EQ(environment.count("NIXPROC_TEST_SECRET=hunter2"), 0u);
  EXPECT_EQ(environment.count("ADDED=yes"), 1u);
  EXPECT_EQ(environment.count("LC_TIME=POSIX"), 1u) << "additions replace kept variables";
  EXPECT_EQ(environment.count("LC_TIME=C"), 0u);
  EXPECT_EQ(environment.count(std::string("PATH=") + std::getenv("PATH")), 1u);

  options.environment.inherit = true;
  options.pid_file = path("inherit.pid");
  Result inherited = start_hold(options);
  ASSERT_EQ(inherited.status, Status::Success) << inherited.detail;
  EXPECT_EQ(environment_of(inherited.pid).count("NIXPROC_TEST_SECRET=hunter2"), 1u);

  options.environment = {};
  options.environment.keep = {};
  options.pid_file = path("empty.pid");
  Result bare = start_hold(options);
  ASSERT_EQ(bare.status, Status::Success) << bare.detail;
  EXPECT_EQ(environment_of(bare.pid), std::set<std::string>{std::string("PATH=") + kDefaultPath});
  ::unsetenv("NIXPROC_TEST_SECRET");
  ::unsetenv("LC_TIME");
}

TEST_F(ExecMode, ProgramsAreFoundOnThePath) {
  Options options = defaults();
  options.environment.additions = {"PATH=/nonexistent:/bin:/usr/bin"};
  Result result = start(options, {"sleep", "30"});
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_EQ(link_target(proc_file(result.pid, "exe")), "/usr/bin/sleep");
  EXPECT_EQ(check_pid_file(options.pid_file, "sleep").state, PidFileCheck::Running);
}

TEST_F(ExecMode, AMissingProgramIsReportedAndLeavesNoPidFile) {
  Result result = daemonize_exec(defaults(), {path("no-such-program")});
  EXPECT_EQ(result.status, Status::CannotInitDaemon);
  EXPECT_EQ(result.pid, 0);
  EXPECT_NE(result.detail.find("no-such-program: No such file or directory"), std::string::npos)
      << result.detail;
  EXPECT_NE(::access(path("hold.pid").c_str(), F_OK), 0);

  result = daemonize_exec(defaults(), {"nixproc-no-such-program-anywhere"});
  EXPECT_EQ(result.status, Status::CannotInitDaemon);
  EXPECT_NE(::access(path("hold.pid").c_str(), F_OK), 0);
}

TEST_F(ExecMode, AFailedExecRemovesThePidFileItCreated) {
  // Executable, but no binary and no #! line: execve fails with ENOEXEC in
  // the daemon after the PID file exists; no shell is tried.
  write_file(path("not-a-program"), "echo should not run\n");
  ::chmod(path("not-a-program").c_str(), 0755);
  Result result = daemonize_exec(defaults(), {path("not-a-program")});
  EXPECT_EQ(result.status, Status::CannotInitDaemon);
  EXPECT_NE(result.detail.find("Exec format error"), std::string::npos) << result.detail;
  EXPECT_NE(::access(path("hold.pid").c_str(), F_OK), 0);
  EXPECT_EQ(read_file(path("out.log")), "");
}

TEST_F(ExecMode, ARunningInstanceIsNotStartedTwice) {
  Result first = start_hold(defaults());
  ASSERT_EQ(first.status, Status::Success) << first.detail;
  Result second = start_hold(defaults());
  EXPECT_EQ(second.status, Status::AlreadyRunning);
  EXPECT_EQ(second.pid, 0);
  EXPECT_NE(second.detail.find(std::to_string(first.pid)), std::string::npos) << second.detail;
  EXPECT_EQ(read_file(path("hold.pid")), std::to_string(first.pid) + "\n");
  EXPECT_FALSE(is_gone(first.pid));
}

TEST_F(ExecMode, APidFileOfADeadProcessIsReplaced) {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  write_file(path("hold.pid"), std::to_string(child) + "\n");
  Result result = start_hold(defaults());
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_EQ(read_file(path("hold.pid")), std::to_string(result.pid) + "\n");
}

TEST_F(ExecMode, APidFileOfAReusedPidIsReplaced) {
  // A live process, but one that started long after the file was written.
  write_file(path("hold.pid"), std::to_string(::getpid()) + "\n");
  struct timeval long_ago[2] = {{1000000000, 0}, {1000000000, 0}};
  ASSERT_EQ(::utimes(path("hold.pid").c_str(), long_ago), 0);
  Result result = start_hold(defaults());
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_EQ(read_file(path("hold.pid")), std::to_string(result.pid) + "\n");
}

TEST_F(ExecMode, APidFileOfAnotherProgramIsReplaced) {
  pid_t sleeper = track(start_program({"/bin/sleep", "30"}));
  ASSERT_TRUE(
      eventually([&] { return link_target(proc_file(sleeper, "exe")) == "/usr/bin/sleep"; }));
  write_file(path("hold.pid"), std::to_string(sleeper) + "\n");
  Result result = start_hold(defaults());
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_EQ(read_file(path("hold.pid")), std::to_string(result.pid) + "\n");
}

TEST_F(ExecMode, AGarbledPidFileIsReplaced) {
  write_file(path("hold.pid"), "12abc\n");
  Result result = start_hold(defaults());
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_EQ(read_file(path("hold.pid")), std::to_string(result.pid) + "\n");
}

TEST_F(ExecMode, WithoutAPidFileThePidIsStillReported) {
  Options options = defaults();
  options.pid_file.clear();
  Result result = start_hold(options, {"no-pid-file"});
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  ASSERT_GT(result.pid, 0);
  EXPECT_EQ(link_target(proc_file(result.pid, "exe")), hold_program());
}

TEST_F(ExecMode, SetupFailuresHaveTheirOwnStatus) {
  Options options = defaults();
  options.directory = path("missing");
  Result result = daemonize_exec(options, {hold_program()});
  EXPECT_EQ(result.status, Status::CannotChdir);
  EXPECT_NE(result.detail.find(path("missing")), std::string::npos);
  EXPECT_NE(::access(path("hold.pid").c_str(), F_OK), 0);

  options = defaults();
  options.pid_file = path("missing/hold.pid");
  result = daemonize_exec(options, {hold_program()});
  EXPECT_EQ(result.status, Status::CannotCreatePidFile);
  EXPECT_NE(result.detail.find("No such file or directory"), std::string::npos);

  options = defaults();
  options.output = path("missing/out.log");
  EXPECT_EQ(daemonize_exec(options, {hold_program()}).status, Status::CannotAttachStdFds);
  EXPECT_EQ(daemonize_exec(defaults(), {}).status, Status::CannotInitDaemon);
}

TEST_F(ExecMode, RelativePathsAreRelativeToTheCaller) {
  std::string cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir_);
  Options options;
  options.pid_file = "relative.pid";
  options.output = "relative.log";
  Result result = start_hold(options);
  std::filesystem::current_path(cwd);
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_EQ(read_file(path("relative.pid")), std::to_string(result.pid) + "\n");
  EXPECT_EQ(link_target(proc_file(result.pid, "fd/1")), path("relative.log"));
}

TEST_F(ExecMode, InheritedDescriptorsAreClosed) {
  int stray = ::open("/dev/null", O_RDONLY);  // no close-on-exec: would survive exec
  int high = ::fcntl(stray, F_DUPFD, 200);
  ASSERT_GE(stray, 3);
  Result result = start(defaults(), {"/bin/sleep", "30"});
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_EQ(settled_fds(result.pid, {0, 1, 2}), (std::set<int>{0, 1, 2}));
  // The caller keeps its own.
  EXPECT_EQ(::fcntl(stray, F_GETFD), 0);
  EXPECT_EQ(::fcntl(high, F_GETFD), 0);
  ::close(stray);
  ::close(high);
}

TEST_F(ExecMode, SignalHandlersAndMaskAreReset) {
  sigset_t blocked, previous;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGTERM);
  sigaddset(&blocked, SIGUSR1);
  ::sigprocmask(SIG_BLOCK, &blocked, &previous);
  auto previous_hup = ::signal(SIGHUP, SIG_IGN);
  auto previous_usr2 = ::signal(SIGUSR2, SIG_IGN);
  Result result = start(defaults(), {"/bin/sleep", "30"});
  ::signal(SIGHUP, previous_hup);
  ::signal(SIGUSR2, previous_usr2);
  sigset_t still_blocked;
  ::sigprocmask(SIG_SETMASK, &previous, &still_blocked);
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_EQ(status_field(result.pid, "SigBlk"), "0000000000000000");
  EXPECT_EQ(status_field(result.pid, "SigIgn"), "0000000000000000");
  EXPECT_TRUE(sigismember(&still_blocked, SIGTERM)) << "the caller's mask is its own business";
}

TEST_F(ExecMode, ClosedStandardDescriptorsInTheCallerAreHandled) {
  SpawnOptions spawn;
  spawn.close_stdin = true;
  RunResult run = run_program(
      {binary("nixproc-daemon"), "--pid-file", path("hold.pid"), "--", hold_program()}, spawn);
  ASSERT_EQ(run.status, 0) << run.err;
  pid_t pid = track(pid_in_file(path("hold.pid")));
  EXPECT_EQ(link_target(proc_file(pid, "fd/0")), "/dev/null");
  EXPECT_EQ(settled_fds(pid, {0, 1, 2}), (std::set<int>{0, 1, 2}));
}

}  // namespace
}  // namespace nixproc::daemon
