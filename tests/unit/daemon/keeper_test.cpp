// nixproc-foreground-proxy as the keeper of an instance: its record, the
// settle time, initialize, the user switch, and that nothing of an instance
// outlives its main process, its stop or its keeper.
#include <pwd.h>
#include <sys/stat.h>

#include "daemon/instance_control.h"
#include "daemon/instance_record.h"
#include "proxy_fixture.h"

namespace nixproc::daemon {
namespace {

using namespace testing;

class Keeper : public Proxy {
 protected:
  std::string record() { return path("instances") + "/a"; }
  std::vector<std::string> keeper(std::vector<std::string> args) {
    args.insert(args.begin(), {"--record", record()});
    return args;
  }
  // The processes below `pid` whose command line is `sleep SECONDS`.
  std::vector<pid_t> sleeps_below(pid_t pid) {
    std::vector<pid_t> found;
    for (const auto& process : live_descendants(process_table(), pid))
      if (read_file(proc_file(process.pid, "cmdline")).rfind("sleep", 0) == 0)
        found.push_back(process.pid);
    return found;
  }
};

TEST_F(Keeper, RecordsTheMainProcessAndWritesItsPidFile) {
  ASSERT_TRUE(start_ready(keeper({"--main-pid-file", path("a.pid"), "--", hold_program()})))
      << notification_;
  InstanceState state = inspect_instance(record());
  EXPECT_EQ(state.kind, InstanceState::Running);
  EXPECT_EQ(state.keeper, proxy_);
  ASSERT_GT(state.main, 0);
  EXPECT_EQ(parent_of(state.main), proxy_);
  EXPECT_EQ(pid_in_file(path("a.pid")), state.main);
  EXPECT_EQ(link_target(proc_file(state.main, "exe")), hold_program());

  StopResult stopped = stop_instance(record(), 5);
  EXPECT_TRUE(stopped.was_running);
  EXPECT_TRUE(stopped.survivors.empty());
  EXPECT_EQ(wait_for_exit(proxy_), 0) << "hold's own status: it exits 0 on TERM";
  EXPECT_EQ(inspect_instance(record()).kind, InstanceState::Stopped);
  EXPECT_EQ(::access(path("a.pid").c_str(), F_OK), -1) << "its PID file went with it";
}

TEST_F(Keeper, WhatTheMainProcessLeavesEndsWithIt) {
  ASSERT_TRUE(start_ready(keeper({"--", "/bin/sh", "-c", "sleep 30 & sleep 31 & wait"})))
      << notification_;
  pid_t main = inspect_instance(record()).main;
  ASSERT_TRUE(eventually([&] { return sleeps_below(proxy_).size() == 2; }));
  auto workers = sleeps_below(proxy_);
  ::kill(main, SIGKILL);  // as a kill -9 of nginx's master leaves its workers
  EXPECT_EQ(wait_for_exit(proxy_), 128 + SIGKILL);
  for (pid_t worker : workers) EXPECT_TRUE(is_gone(worker)) << worker;
  EXPECT_EQ(inspect_instance(record()).kind, InstanceState::Stopped);
}

TEST_F(Keeper, OneKeeperPerInstance) {
  ASSERT_TRUE(start_ready(keeper({"--", hold_program()}))) << notification_;
  RunResult second = run_proxy(keeper({"--", hold_program()}));
  EXPECT_EQ(second.status, 104);
  EXPECT_NE(second.err.find("another nixproc-foreground-proxy keeps " + record()),
            std::string::npos)
      << second.err;
  EXPECT_EQ(inspect_instance(record()).keeper, proxy_) << "the first one is untouched";
}

TEST_F(Keeper, TheNextStartEndsWhatAKilledKeeperLeft) {
  ASSERT_TRUE(start_ready(keeper({"--", "/bin/sh", "-c", "sleep 30 & wait"}))) << notification_;
  pid_t old_main = inspect_instance(record()).main;
  ASSERT_TRUE(eventually([&] { return sleeps_below(old_main).size() == 1; }));
  pid_t old_worker = sleeps_below(old_main)[0];
  ::kill(proxy_, SIGKILL);
  ASSERT_EQ(wait_for_exit(proxy_), 128 + SIGKILL);
  EXPECT_EQ(inspect_instance(record()).kind, InstanceState::Orphaned);
  EXPECT_FALSE(is_gone(old_main)) << "a killed keeper cannot take its processes along";

  ASSERT_TRUE(start_ready(keeper({"--", hold_program()}))) << notification_;
  EXPECT_TRUE(is_gone(old_main));
  EXPECT_TRUE(is_gone(old_worker));
  InstanceState state = inspect_instance(record());
  EXPECT_EQ(state.kind, InstanceState::Running);
  EXPECT_NE(state.main, old_main);
}

TEST_F(Keeper, AStartSucceedsOnlyWhenTheProcessStaysUp) {
  EXPECT_FALSE(start_ready(keeper({"--", "/bin/sh", "-c", "exit 3"})));
  EXPECT_EQ(notification_, "") << "no readiness line";
  EXPECT_EQ(wait_for_exit(proxy_), 105);
  EXPECT_EQ(inspect_instance(record()).kind, InstanceState::Stopped);
  RunResult ended = run_proxy(keeper({"--", "/bin/sh", "-c", "exit 3"}));
  EXPECT_EQ(ended.status, 105);
  EXPECT_NE(ended.err.find("/bin/sh exited with status 3 right after it started"),
            std::string::npos)
      << ended.err;

  // After the settle time, the program's own status.
  RunResult later =
      run_proxy(keeper({"--settle", "0.1", "--", "/bin/sh", "-c", "sleep 0.3; exit 3"}));
  EXPECT_EQ(later.status, 3) << later.err;
}

TEST_F(Keeper, InitializeRunsFirstAndWhatItLeavesIsTheInstances) {
  ASSERT_TRUE(start_ready(
      keeper({"--initialize", "sleep 30 & echo $! > " + path("bg.pid"), "--", hold_program()})))
      << notification_;
  pid_t background = track(pid_in_file(path("bg.pid")));
  ASSERT_GT(background, 0);
  EXPECT_EQ(parent_of(background), proxy_) << "adopted by the keeper";
  EXPECT_TRUE(stop_instance(record(), 5).survivors.empty());
  EXPECT_NE(wait_for_exit(proxy_), -1);
  EXPECT_TRUE(is_gone(background)) << "initialize's background job stopped with the instance";

  RunResult failed = run_proxy(keeper({"--initialize", "echo no >&2; exit 4", "--", "/bin/sh", "-c",
                                       "echo started > " + path("started")}));
  EXPECT_EQ(failed.status, 102);
  EXPECT_NE(failed.err.find("initialize exited with status 4"), std::string::npos) << failed.err;
  EXPECT_EQ(read_file(path("started")), "") << "the program was not started";
}

TEST_F(Keeper, RunsTheProgramAsItsUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  struct passwd* nobody = ::getpwnam("nobody");
  ASSERT_NE(nobody, nullptr);
  ASSERT_TRUE(start_ready(keeper({"--user", "nobody", "--initialize",
                                  "id -u > " + path("initialize-uid"), "--", hold_program()})))
      << notification_;
  pid_t main = inspect_instance(record()).main;
  EXPECT_EQ(status_field(main, "Uid").substr(0, status_field(main, "Uid").find('\t')),
            std::to_string(nobody->pw_uid));
  EXPECT_EQ(status_field(proxy_, "Uid").substr(0, 1), "0") << "the keeper keeps its privileges";
  EXPECT_EQ(read_file(path("initialize-uid")), "0\n") << "initialize runs as the manager does";
}

TEST_F(Keeper, ADaemonWithoutAPidFileIsTheProcessItLeaves) {
  ASSERT_TRUE(start_ready(keeper({"--daemon", "--", "/bin/sh", "-c",
                                  "(exec " + hold_program() + " </dev/null >/dev/null 2>&1 &)"})))
      << notification_;
  InstanceState state = inspect_instance(record());
  ASSERT_EQ(state.kind, InstanceState::Running);
  EXPECT_EQ(link_target(proc_file(state.main, "exe")), hold_program());
  EXPECT_EQ(parent_of(state.main), proxy_);
  ::kill(proxy_, SIGTERM);
  EXPECT_EQ(wait_for_exit(proxy_), 0) << "hold exits 0 on TERM";
  EXPECT_TRUE(is_gone(state.main));
}

}  // namespace
}  // namespace nixproc::daemon
