// nixproc-foreground-proxy through its binary, with real daemons: the
// example webapp, nixproc-test-hold -D and small shell daemons.
#include "proxy_fixture.h"

namespace nixproc::daemon {
namespace {

using namespace testing;
using std::chrono::milliseconds;

TEST_F(Proxy, RunsTheWebappAndStopsItOnTerm) {
  int port = free_port();
  SpawnOptions spawn;
  spawn.set_environment = {"PORT=" + std::to_string(port), "PID_FILE=" + path("webapp.pid"),
                           "PATH=" + binary("") + ":/usr/bin:/bin"};  // webapp found on PATH
  ASSERT_TRUE(start_ready({"--pid-file", path("webapp.pid"), "--", "webapp", "-D"}, spawn))
      << notification_;
  pid_t daemon = track(pid_in_file(path("webapp.pid")));
  EXPECT_EQ(link_target(proc_file(daemon, "exe")), binary("webapp"));
  EXPECT_EQ(parent_of(daemon), proxy_) << "the proxy is the daemon's subreaper";
  EXPECT_TRUE(port_accepts(port));
  EXPECT_FALSE(is_gone(proxy_));

  ::kill(proxy_, SIGTERM);
  EXPECT_EQ(wait_for_exit(proxy_), 0);
  EXPECT_TRUE(is_gone(daemon));
}

TEST_F(Proxy, ExitsWithTheDaemon) {
  SpawnOptions spawn;
  spawn.set_environment = {"PID_FILE=" + path("hold.pid")};
  ASSERT_TRUE(start_ready({"--pid-file", path("hold.pid"), "--", hold_program(), "-D"}, spawn));
  pid_t daemon = track(pid_in_file(path("hold.pid")));
  EXPECT_EQ(parent_of(daemon), proxy_);
  ::kill(daemon, SIGKILL);
  EXPECT_EQ(wait_for_exit(proxy_), 128 + SIGKILL) << "the daemon's status, 128+signal";

  // A daemon that exits by itself with a status of its own (a daemon's start
  // counts once its PID file names it; with a settle time, dying within it
  // is a failed start).
  RunResult run = run_proxy({"--pid-file", path("e.pid"), "--", "/bin/sh", "-c",
                             "(sleep 0.3; exit 3) & echo $! > \"$0\"", path("e.pid")});
  EXPECT_EQ(run.status, 3) << run.err;
  RunResult early = run_proxy({"--pid-file", path("e.pid"), "--settle", "1", "--", "/bin/sh", "-c",
                               "(sleep 0.3; exit 3) & echo $! > \"$0\"", path("e.pid")});
  EXPECT_EQ(early.status, 105) << early.err;
  EXPECT_NE(early.err.find("exited with status 3 right after it started"), std::string::npos)
      << early.err;
}

TEST_F(Proxy, ForwardsSignalsAndReapsOrphans) {
  std::vector<std::string> command = shell_daemon();
  // Also leave an orphan that exits soon: the proxy, its new parent, reaps it.
  command[2] += " (sleep 0.2 &)";
  std::vector<std::string> args = {"--pid-file", path("d.pid"), "--"};
  args.insert(args.end(), command.begin(), command.end());
  ASSERT_TRUE(start_ready(args)) << notification_;
  pid_t daemon = track(pid_in_file(path("d.pid")));
  EXPECT_EQ(parent_of(daemon), proxy_);

  ::kill(proxy_, SIGHUP);
  EXPECT_TRUE(eventually([&] { return read_file(path("signals")) == "HUP\n"; }));
  ::kill(proxy_, SIGUSR1);
  EXPECT_TRUE(eventually([&] { return read_file(path("signals")) == "HUP\nUSR1\n"; }));
  EXPECT_FALSE(is_gone(proxy_)) << "HUP and USR1 do not stop anything";
  EXPECT_TRUE(eventually([&] { return child_processes(proxy_) == std::vector<pid_t>{daemon}; }))
      << "the exited orphan is reaped: only the daemon is left as the proxy's child";

  ::kill(proxy_, SIGTERM);
  EXPECT_EQ(wait_for_exit(proxy_), 0);
  EXPECT_EQ(read_file(path("signals")), "HUP\nUSR1\nTERM\n");
  EXPECT_TRUE(is_gone(daemon));
}

TEST_F(Proxy, KillsADaemonThatIgnoresTerm) {
  std::vector<std::string> args = {"--pid-file", path("d.pid"), "--stop-timeout", "1", "--"};
  for (const auto& word : shell_daemon("0", "ignore-term")) args.push_back(word);
  ASSERT_TRUE(start_ready(args)) << notification_;
  pid_t daemon = track(pid_in_file(path("d.pid")));
  auto started = std::chrono::steady_clock::now();
  ::kill(proxy_, SIGTERM);
  EXPECT_EQ(wait_for_exit(proxy_), 128 + SIGKILL);
  EXPECT_GE(std::chrono::steady_clock::now() - started, milliseconds(900));
  EXPECT_TRUE(is_gone(daemon));
}

TEST_F(Proxy, PidFileTimeoutStopsWhatWasStarted) {
  RunResult run = run_proxy({"--pid-file", path("never.pid"), "--timeout", "1", "--", "/bin/sh",
                             "-c", "sleep 30 & echo $! > \"$0\"", path("bg.pid")});
  EXPECT_EQ(run.status, 103);
  EXPECT_EQ(run.err.rfind("nixproc-foreground-proxy: the PID file " + path("never.pid") +
                              " names no process of this instance after 1 s\n",
                          0),
            0u)
      << run.err;
  pid_t orphan = track(pid_in_file(path("bg.pid")));
  ASSERT_GT(orphan, 0);
  EXPECT_TRUE(is_gone(orphan)) << "the proxy stopped the process it adopted";

  // A program that does not daemonise at all.
  RunResult foreground =
      run_proxy({"--pid-file", path("never.pid"), "--timeout", "1", "--", "/bin/sh", "-c",
                 "echo $$ > \"$0\"; exec sleep 30", path("fg.pid")});
  EXPECT_EQ(foreground.status, 103);
  EXPECT_EQ(
      foreground.err.rfind(
          "nixproc-foreground-proxy: /bin/sh is still running after 1 s (does it daemonise?)\n", 0),
      0u)
      << foreground.err;
  pid_t launcher = track(pid_in_file(path("fg.pid")));
  ASSERT_GT(launcher, 0);
  EXPECT_TRUE(is_gone(launcher));
}

TEST_F(Proxy, StartFailuresHaveTheirOwnStatuses) {
  RunResult failed = run_proxy({"--pid-file", path("x.pid"), "--", "/bin/sh", "-c", "exit 7"});
  EXPECT_EQ(failed.status, 102);
  EXPECT_EQ(failed.err,
            "nixproc-foreground-proxy: /bin/sh exited with status 7 before the daemon started\n");
  RunResult killed =
      run_proxy({"--pid-file", path("x.pid"), "--", "/bin/sh", "-c", "kill -KILL $$"});
  EXPECT_EQ(killed.status, 102);
  EXPECT_NE(killed.err.find("was killed by signal 9"), std::string::npos) << killed.err;

  RunResult missing = run_proxy({"--pid-file", path("x.pid"), "--", path("missing")});
  EXPECT_EQ(missing.status, 101);
  EXPECT_EQ(missing.err, "nixproc-foreground-proxy: cannot start: " + path("missing") +
                             ": No such file or directory\n");
  RunResult chdir =
      run_proxy({"--pid-file", path("x.pid"), "--chdir", path("nope"), "--", "/bin/true"});
  EXPECT_EQ(chdir.status, 101);
  EXPECT_NE(chdir.err.find("cannot change to " + path("nope")), std::string::npos);

  for (const auto& args : std::vector<std::vector<std::string>>{
           {},
           {"--pid-file", path("x.pid")},
           {"--pid-file", path("x.pid"), "--main-pid-file", path("y.pid"), "--", "/bin/true"},
           {"--settle", "-1", "--", "/bin/true"},
           {"--pid-file", path("x.pid"), "--notify-fd", "9", "--", "/bin/true"},
           {"--pid-file", path("x.pid"), "--notify-fd", "1", "--", "/bin/true"},
           {"--pid-file", path("x.pid"), "--timeout", "0", "--", "/bin/true"},
           {"--pid-file", path("x.pid"), "--umask", "9", "--", "/bin/true"},
           {"--bogus", "--", "/bin/true"}}) {
    RunResult run = run_proxy(args);
    EXPECT_EQ(run.status, 100) << ::testing::PrintToString(args) << run.err;
    EXPECT_FALSE(run.err.empty());
  }
  RunResult help = run_proxy({"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("--stop-timeout"), std::string::npos);
}

TEST_F(Proxy, AStalePidFileIsNotTheNewDaemon) {
  pid_t dead = start_program({"/bin/true"});
  ASSERT_EQ(wait_for_exit(dead), 0);
  write_file(path("d.pid"), std::to_string(dead) + "\n");

  std::vector<std::string> args = {"--pid-file", path("d.pid"), "--umask", "027",
                                   "--chdir",    dir_,          "--"};
  for (const auto& word : shell_daemon("0.5")) args.push_back(word);
  ASSERT_TRUE(start_ready(args)) << notification_;
  EXPECT_EQ(read_file(path("marker")), "") << "the stale file was removed before the start";
  pid_t daemon = track(pid_in_file(path("d.pid")));
  EXPECT_NE(daemon, dead);
  EXPECT_EQ(parent_of(daemon), proxy_);
  EXPECT_EQ(status_field(daemon, "Umask"), "0027");
  EXPECT_EQ(link_target(proc_file(daemon, "cwd")), dir_);
  ::kill(proxy_, SIGTERM);
  EXPECT_EQ(wait_for_exit(proxy_), 0);
  EXPECT_EQ(read_file(path("signals")), "TERM\n");
}

TEST_F(Proxy, APidFileOfAnotherLiveProcessIsNotTheNewDaemon) {
  pid_t other = track(start_program({hold_program()}));
  ASSERT_TRUE(eventually([&] { return status_field(other, "State").rfind("S", 0) == 0; }));
  write_file(path("d.pid"), std::to_string(other) + "\n");

  std::vector<std::string> args = {"--pid-file", path("d.pid"), "--"};
  for (const auto& word : shell_daemon("0.5")) args.push_back(word);
  ASSERT_TRUE(start_ready(args)) << notification_;
  EXPECT_EQ(read_file(path("marker")), "present\n") << "a live process's file is left alone";
  pid_t daemon = track(pid_in_file(path("d.pid")));
  EXPECT_NE(daemon, other);
  ::kill(proxy_, SIGTERM);
  EXPECT_EQ(wait_for_exit(proxy_), 0);
  EXPECT_TRUE(is_gone(daemon));
  EXPECT_FALSE(is_gone(other)) << "the other process got no signal";
}

TEST_F(Proxy, NeverTakesAProcessItDidNotStartForTheDaemon) {
  // The launcher names a process the test started, as a planted or reused
  // PID file would: it is not the proxy's descendant, so it is not the
  // instance's daemon, and it gets no signal.
  pid_t other = track(start_program({hold_program()}));
  RunResult run = run_proxy({"--pid-file", path("o.pid"), "--timeout", "1", "--", "/bin/sh", "-c",
                             "echo " + std::to_string(other) + " > \"$0\"", path("o.pid")});
  EXPECT_EQ(run.status, 103) << run.err;
  EXPECT_FALSE(is_gone(other));
}

}  // namespace
}  // namespace nixproc::daemon
