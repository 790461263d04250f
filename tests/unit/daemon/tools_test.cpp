// nixproc-daemon, nixproc-pidof and nixproc-chainload-user through their
// binaries: options, output and exit statuses.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"

namespace nixproc::daemon {
namespace {

using namespace testing;

class Tools : public DaemonTest {
 protected:
  RunResult daemon_tool(std::vector<std::string> args, const SpawnOptions& spawn = {}) {
    args.insert(args.begin(), binary("nixproc-daemon"));
    return run_program(args, spawn);
  }
  RunResult pidof(std::vector<std::string> args) {
    args.insert(args.begin(), binary("nixproc-pidof"));
    return run_program(args);
  }
  RunResult chainload(std::vector<std::string> args) {
    args.insert(args.begin(), binary("nixproc-chainload-user"));
    return run_program(args);
  }
  pid_t started(const std::string& pid_file) { return track(pid_in_file(pid_file)); }
};

TEST_F(Tools, DaemonUsageErrorsExit100) {
  std::string pid_file = path("x.pid");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {},
           {"--pid-file", pid_file},
           {"--", hold_program()},
           {"--pid-file", pid_file, "--no-pid-file", "--", hold_program()},
           {"--pid-file", pid_file, "--umask", "9", "--", hold_program()},
           {"--pid-file", pid_file, "--umask", "1777", "--", hold_program()},
           {"--pid-file", pid_file, "--env", "NOVALUE", "--", hold_program()},
           {"--pid-file", pid_file, "--ready-fd", "2", "--", hold_program()},
           {"--pid-file", pid_file, "--ready-timeout", "0", "--", hold_program()},
           {"--bogus", "--", hold_program()}}) {
    RunResult run = daemon_tool(args);
    EXPECT_EQ(run.status, 100) << ::testing::PrintToString(args) << run.err;
    EXPECT_FALSE(run.err.empty());
  }
  EXPECT_NE(::access(pid_file.c_str(), F_OK), 0);
  RunResult help = daemon_tool({"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("--ready-fd"), std::string::npos);
}

TEST_F(Tools, DaemonStartsTheProgramSilently) {
  RunResult run = daemon_tool({"--pid-file", path("hold.pid"), "--output", path("out.log"),
                               "--umask", "027", "--chdir", dir_, "--env", "EXTRA=1", "--",
                               hold_program(), "-x", "--pid-file", "x"});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "");
  pid_t pid = started(path("hold.pid"));
  EXPECT_EQ(read_file(proc_file(pid, "cmdline")),
            hold_program() + std::string("\0-x\0--pid-file\0x\0", 17))
      << "options after the program are its own";
  EXPECT_EQ(status_field(pid, "Umask"), "0027");
  EXPECT_EQ(link_target(proc_file(pid, "cwd")), dir_);
  EXPECT_EQ(link_target(proc_file(pid, "fd/2")), path("out.log"));
  EXPECT_EQ(environment_of(pid).count("EXTRA=1"), 1u);

  RunResult again = daemon_tool({"--pid-file", path("hold.pid"), "--", hold_program()});
  EXPECT_EQ(again.status, 17);
  EXPECT_EQ(again.err.rfind("nixproc-daemon: The daemon is already running!: ", 0), 0u)
      << again.err;
}

TEST_F(Tools, DaemonEnvironmentIsSanitisedUnlessInherited) {
  SpawnOptions spawn;
  spawn.set_environment = {"NIXPROC_TEST_SECRET=s3cret", "LC_MESSAGES=C"};
  ASSERT_EQ(daemon_tool({"--pid-file", path("a.pid"), "--", hold_program()}, spawn).status, 0);
  auto clean = environment_of(started(path("a.pid")));
  EXPECT_EQ(clean.count("NIXPROC_TEST_SECRET=s3cret"), 0u);
  EXPECT_EQ(clean.count("LC_MESSAGES=C"), 1u);
  ASSERT_EQ(daemon_tool({"--inherit-env", "--pid-file", path("b.pid"), "--", hold_program()}, spawn)
                .status,
            0);
  EXPECT_EQ(environment_of(started(path("b.pid"))).count("NIXPROC_TEST_SECRET=s3cret"), 1u);
}

TEST_F(Tools, DaemonFailuresNameTheStatus) {
  RunResult missing = daemon_tool({"--pid-file", path("m.pid"), "--", path("missing")});
  EXPECT_EQ(missing.status, 4);
  EXPECT_EQ(missing.err, "nixproc-daemon: Cannot initialize the daemon!: " + path("missing") +
                             ": No such file or directory\n");
  EXPECT_EQ(missing.out, "");
  RunResult chdir =
      daemon_tool({"--pid-file", path("c.pid"), "--chdir", path("nope"), "--", hold_program()});
  EXPECT_EQ(chdir.status, 2);
  RunResult unready =
      daemon_tool({"--no-pid-file", "--ready-fd", "3", "--ready-timeout", "1", "--", "/bin/true"});
  EXPECT_EQ(unready.status, 16);
  EXPECT_NE(unready.err.find("The daemon did not report readiness!"), std::string::npos);
}

TEST_F(Tools, DaemonReadiness) {
  RunResult ready = daemon_tool({"--pid-file", path("r.pid"), "--ready-fd", "4", "--env",
                                 "HOLD_READY_FD=4", "--", hold_program()});
  EXPECT_EQ(ready.status, 0) << ready.err;
  started(path("r.pid"));
}

TEST_F(Tools, DaemonFindsProgramsOnThePath) {
  RunResult run = daemon_tool({"--pid-file", path("s.pid"), "--", "sleep", "30"});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(link_target(proc_file(started(path("s.pid")), "exe")), "/usr/bin/sleep");
}

TEST_F(Tools, PidofFollowsLsbPidofproc) {
  ASSERT_EQ(daemon_tool({"--pid-file", path("hold.pid"), "--", hold_program()}).status, 0);
  pid_t pid = started(path("hold.pid"));

  RunResult running = pidof({"--pid-file", path("hold.pid"), hold_program()});
  EXPECT_EQ(running.status, 0);
  EXPECT_EQ(running.out, std::to_string(pid) + "\n");
  EXPECT_EQ(pidof({"-p", path("hold.pid"), "--", "nixproc-test-hold"}).out,
            std::to_string(pid) + "\n");
  RunResult other = pidof({"--pid-file", path("hold.pid"), "/bin/sleep"});
  EXPECT_EQ(other.status, 1);
  EXPECT_EQ(other.out, "");
  EXPECT_EQ(pidof({"--pid-file", path("absent.pid"), hold_program()}).status, 3);

  RunResult search = pidof({hold_program()});
  EXPECT_EQ(search.status, 0);
  EXPECT_NE((" " + search.out).find(" " + std::to_string(pid)), std::string::npos);
  EXPECT_EQ(search.out.back(), '\n');
  EXPECT_EQ(pidof({"nixproc-no-such-program"}).status, 3);
  EXPECT_EQ(pidof({"nixproc-no-such-program"}).out, "");

  stop_process(pid);
  EXPECT_EQ(pidof({"--pid-file", path("hold.pid"), hold_program()}).status, 1) << "stale";
  EXPECT_EQ(pidof({}).status, 4);
  EXPECT_EQ(pidof({"a", "b"}).status, 4);
  EXPECT_EQ(pidof({"--bogus", "a"}).status, 4);
  EXPECT_EQ(pidof({"--help"}).status, 0);
}

TEST_F(Tools, ChainloadUserErrors) {
  RunResult usage = chainload({"nobody"});
  EXPECT_EQ(usage.status, 1);
  EXPECT_EQ(usage.err, "Usage: nixproc-chainload-user username command [args]\n");
  EXPECT_EQ(usage.out, "");
  EXPECT_EQ(chainload({}).status, 1);

  RunResult unknown = chainload({"nixproc-no-such-user", "/bin/true"});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_EQ(unknown.err, "Cannot find password entry for user: nixproc-no-such-user\n");

  struct passwd* self = ::getpwuid(::geteuid());
  ASSERT_NE(self, nullptr);
  RunResult missing = chainload({self->pw_name, "nixproc-no-such-command", "arg"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.err, "Cannot execute command: nixproc-no-such-command\n");

  if (::geteuid() != 0) {
    RunResult denied = chainload({"root", "/bin/true"});
    EXPECT_EQ(denied.status, 1);
    EXPECT_EQ(denied.err, "Cannot change into user: root with corresponding group!\n");
  }
}

TEST_F(Tools, ChainloadUserSwitchesUserAndGroups) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  if (!::getpwnam("nobody")) GTEST_SKIP() << "needs the user nobody";
  RunResult id = chainload({"nobody", "id", "-u"});  // found on PATH
  EXPECT_EQ(id.status, 0) << id.err;
  EXPECT_EQ(id.out, std::to_string(::getpwnam("nobody")->pw_uid) + "\n");
  RunResult groups = chainload({"nobody", "/bin/cat", "/proc/self/status"});
  EXPECT_NE(groups.out.find("\nGroups:\t" + std::to_string(::getpwnam("nobody")->pw_gid) + " \n"),
            std::string::npos)
      << groups.out;
}

}  // namespace
}  // namespace nixproc::daemon
