// nixproc-foreground-proxy through its binary, with real daemons: the
// example webapp, nixproc-test-hold -D and small shell daemons.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "daemon/process_info.h"
#include "test_support.h"

namespace nixproc::daemon {
namespace {

using namespace testing;
using std::chrono::milliseconds;

constexpr int kNotifyFd = 5;

// A shell daemon: the launcher starts body.sh in the background and exits.
// The body records the signals it gets in `signals`, writes its PID file
// after `delay` seconds, and exits on TERM (unless told to ignore it).
const char kBody[] =
    "signals=$1; pid_file=$2; delay=$3\n"
    "trap 'echo HUP >> \"$signals\"' HUP\n"
    "trap 'echo USR1 >> \"$signals\"' USR1\n"
    "if [ \"$4\" = ignore-term ]; then trap '' TERM; else\n"
    "  trap 'echo TERM >> \"$signals\"; exit 0' TERM; fi\n"
    "sleep \"$delay\"\n"
    "echo $$ > \"$pid_file\"\n"
    "while :; do sleep 0.05; done\n";

class Proxy : public DaemonTest {
 protected:
  void SetUp() override {
    DaemonTest::SetUp();
    write_file(path("body.sh"), kBody);
  }

  // Whatever a failed test left behind: the proxy first, then the processes
  // that were reparented to this subreaper when it or a launcher exited.
  void TearDown() override {
    stop_process(proxy_);
    for (int round = 0; round < 2; ++round)
      for (pid_t child : child_processes(::getpid())) stop_process(child);
    DaemonTest::TearDown();
  }

  std::vector<std::string> proxy_command(std::vector<std::string> args) {
    args.insert(args.begin(), binary("nixproc-foreground-proxy"));
    return args;
  }
  RunResult run_proxy(std::vector<std::string> args) { return run_program(proxy_command(args)); }

  // A launcher that starts body.sh in the background (marking in `marker`
  // whether the PID file existed then) and exits 0.
  std::vector<std::string> shell_daemon(const std::string& delay = "0",
                                        const std::string& mode = "") {
    return {"/bin/sh",
            "-c",
            "[ -e \"$2\" ] && echo present > \"$4\"; sh \"$0\" \"$1\" \"$2\" \"$3\" \"$5\" "
            "</dev/null >/dev/null 2>&1 &",
            path("body.sh"),
            path("signals"),
            path("d.pid"),
            delay,
            path("marker"),
            mode};
  }

  // Starts the proxy with a notification pipe as fd 5 and waits for its
  // readiness line; false if none came within 10 s.
  bool start_ready(const std::vector<std::string>& args, const SpawnOptions& base = {}) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return false;
    SpawnOptions spawn = base;
    spawn.pass_fds = {{pipe_fds[1], kNotifyFd}};
    std::vector<std::string> with_fd = {"--notify-fd", std::to_string(kNotifyFd)};
    with_fd.insert(with_fd.end(), args.begin(), args.end());
    proxy_ = track(start_program(proxy_command(with_fd), spawn));
    ::close(pipe_fds[1]);
    notification_ = read_until_eof(pipe_fds[0]);
    ::close(pipe_fds[0]);
    return notification_ == "\n";
  }

  // Everything written to `fd` until every writer closed it (10 s at most).
  static std::string read_until_eof(int fd) {
    std::string text;
    struct pollfd poll_fd = {fd, POLLIN, 0};
    char buffer[64];
    while (::poll(&poll_fd, 1, 10000) > 0) {
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n <= 0) break;
      text.append(buffer, static_cast<size_t>(n));
    }
    return text;
  }

  static pid_t parent_of(pid_t pid) {
    std::string stat = read_file(proc_file(pid, "stat"));
    auto end = stat.rfind(')');
    return end == std::string::npos ? 0 : std::atoi(stat.c_str() + end + 4);
  }

  Subreaper subreaper_;
  pid_t proxy_ = 0;
  std::string notification_;
};

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

  // A daemon that exits by itself with a status of its own.
  RunResult run = run_proxy({"--pid-file", path("e.pid"), "--", "/bin/sh", "-c",
                             "(sleep 0.3; exit 3) & echo $! > \"$0\"", path("e.pid")});
  EXPECT_EQ(run.status, 3) << run.err;
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
  EXPECT_EQ(run.err, "nixproc-foreground-proxy: the PID file " + path("never.pid") +
                         " names no running process after 1 s\n");
  pid_t orphan = track(pid_in_file(path("bg.pid")));
  ASSERT_GT(orphan, 0);
  EXPECT_TRUE(is_gone(orphan)) << "the proxy stopped the process it adopted";

  // A program that does not daemonise at all.
  RunResult foreground =
      run_proxy({"--pid-file", path("never.pid"), "--timeout", "1", "--", "/bin/sh", "-c",
                 "echo $$ > \"$0\"; exec sleep 30", path("fg.pid")});
  EXPECT_EQ(foreground.status, 103);
  EXPECT_EQ(foreground.err,
            "nixproc-foreground-proxy: /bin/sh is still running after 1 s (does it daemonise?)\n");
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
  EXPECT_EQ(missing.err, "nixproc-foreground-proxy: cannot start the daemon: " + path("missing") +
                             ": No such file or directory\n");
  RunResult chdir =
      run_proxy({"--pid-file", path("x.pid"), "--chdir", path("nope"), "--", "/bin/true"});
  EXPECT_EQ(chdir.status, 101);
  EXPECT_NE(chdir.err.find("cannot change to " + path("nope")), std::string::npos);

  for (const auto& args : std::vector<std::vector<std::string>>{
           {},
           {"--", "/bin/true"},
           {"--pid-file", path("x.pid")},
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

TEST_F(Proxy, FollowsADaemonThatIsNotItsChild) {
  // The launcher names a process the test started: the proxy cannot wait
  // for it and polls it instead.
  pid_t other = track(start_program({hold_program()}));
  std::vector<std::string> launcher = {
      "/bin/sh", "-c", "echo " + std::to_string(other) + " > \"$0\"", path("o.pid")};
  std::vector<std::string> args = {"--pid-file", path("o.pid"), "--"};
  args.insert(args.end(), launcher.begin(), launcher.end());
  ASSERT_TRUE(start_ready(args)) << notification_;
  ::kill(proxy_, SIGTERM);
  EXPECT_EQ(wait_for_exit(proxy_), 0) << "stopped on request";
  EXPECT_EQ(wait_for_exit(other), 0) << "hold got the TERM";

  pid_t vanishing = track(start_program({hold_program()}));
  ::unlink(path("o.pid").c_str());
  args[args.size() - 2] = "echo " + std::to_string(vanishing) + " > \"$0\"";
  ASSERT_TRUE(start_ready(args)) << notification_;
  ::kill(vanishing, SIGKILL);
  EXPECT_EQ(wait_for_exit(vanishing), 128 + SIGKILL);
  EXPECT_EQ(wait_for_exit(proxy_), 1) << "the daemon vanished on its own";
}

}  // namespace
}  // namespace nixproc::daemon
