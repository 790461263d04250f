// PID-file states and the pidof-like search, against real processes.
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "daemon/pidfile.h"
#include "daemon/process_info.h"
#include "test_support.h"

namespace nixproc::daemon {
namespace {

using namespace testing;

bool contains(const std::vector<pid_t>& pids, pid_t pid) {
  return std::find(pids.begin(), pids.end(), pid) != pids.end();
}

class PidFiles : public DaemonTest {
 protected:
  pid_t dead_pid() {
    pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ::waitpid(child, nullptr, 0);
    return child;
  }
  void make_old(const std::string& file) {
    struct timeval long_ago[2] = {{1000000000, 0}, {1000000000, 0}};
    ::utimes(file.c_str(), long_ago);
  }
};

TEST_F(PidFiles, States) {
  EXPECT_EQ(check_pid_file(path("absent.pid"), "").state, PidFileCheck::Absent);

  for (const char* garbage : {"", "\n", "abc\n", "12abc\n", "-5\n", "0\n", "99999999999\n"}) {
    write_file(path("garbage.pid"), garbage);
    EXPECT_EQ(check_pid_file(path("garbage.pid"), "").state, PidFileCheck::Stale) << garbage;
  }

  write_file(path("dead.pid"), std::to_string(dead_pid()) + "\n");
  EXPECT_EQ(check_pid_file(path("dead.pid"), "").state, PidFileCheck::Stale);

  // This test process, written just now: alive and started before the file.
  write_file(path("self.pid"), " " + std::to_string(::getpid()) + " \n");
  PidFileCheck self = check_pid_file(path("self.pid"), "");
  EXPECT_EQ(self.state, PidFileCheck::Running);
  EXPECT_EQ(self.pid, ::getpid());
  EXPECT_EQ(check_pid_file(path("self.pid"), own_executable()).state, PidFileCheck::Running);
  EXPECT_EQ(check_pid_file(path("self.pid"), "/usr/bin/nixproc-daemon-tests").state,
            PidFileCheck::Running)
      << "the same basename counts";
  EXPECT_EQ(check_pid_file(path("self.pid"), hold_program()).state, PidFileCheck::Stale)
      << "another program";

  // The same PID, but the file is older than the process: the PID was reused.
  make_old(path("self.pid"));
  EXPECT_EQ(check_pid_file(path("self.pid"), "").state, PidFileCheck::Stale);
}

TEST_F(PidFiles, AZombieIsNotRunning) {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_TRUE(eventually([&] { return is_gone(child); }));  // a zombie until reaped
  write_file(path("zombie.pid"), std::to_string(child) + "\n");
  EXPECT_EQ(check_pid_file(path("zombie.pid"), "").state, PidFileCheck::Stale);
  EXPECT_FALSE(contains(find_processes_by_program(own_executable()), child));
  ::waitpid(child, nullptr, 0);
}

TEST_F(PidFiles, ScriptsAreRecognisedByTheirArguments) {
  // An interpreter runs a script as `interpreter <script>`: its executable is
  // the interpreter, argv[1] the script. nixproc-test-hold stands in for it.
  pid_t script = track(start_program({hold_program(), path("my-service")}));
  pid_t other = track(start_program({hold_program(), "-c", "x", path("my-service")}));
  ASSERT_TRUE(eventually([&] { return runs_program(script, "my-service"); }));
  EXPECT_TRUE(runs_program(script, path("my-service")));
  EXPECT_FALSE(runs_program(other, "my-service")) << "argv[3] does not count";
  auto found = find_processes_by_program(path("my-service"));
  EXPECT_TRUE(contains(found, script));
  EXPECT_FALSE(contains(found, other));
}

TEST_F(PidFiles, FindingProcessesByProgram) {
  pid_t first = track(start_program({hold_program(), "first"}));
  pid_t second = track(start_program({hold_program(), "second"}));
  ASSERT_TRUE(eventually([&] { return find_processes_by_program(hold_program()).size() >= 2; }));
  auto by_path = find_processes_by_program(hold_program());
  auto by_name = find_processes_by_program("nixproc-test-hold");
  for (pid_t pid : {first, second}) {
    EXPECT_TRUE(contains(by_path, pid));
    EXPECT_TRUE(contains(by_name, pid));
  }
  EXPECT_TRUE(find_processes_by_program("nixproc-no-such-program").empty());
  EXPECT_FALSE(contains(find_processes_by_program(own_executable()), ::getpid()))
      << "like pidof, never the caller itself";
}

TEST_F(PidFiles, CreationIsExclusiveAndReplacesStaleFiles) {
  std::string file = path("created.pid");
  PidFileCreation created = create_pid_file(file, "");
  ASSERT_EQ(created.outcome, PidFileCreation::Created);
  EXPECT_EQ(read_file(file), std::to_string(::getpid()) + "\n");
  struct stat st;
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);

  PidFileCreation again = create_pid_file(file, "");
  EXPECT_EQ(again.outcome, PidFileCreation::AlreadyRunning);
  EXPECT_EQ(again.running_pid, ::getpid());

  write_file(file, std::to_string(dead_pid()) + "\n");
  EXPECT_EQ(create_pid_file(file, "").outcome, PidFileCreation::Created);
  EXPECT_EQ(read_file(file), std::to_string(::getpid()) + "\n");

  EXPECT_EQ(create_pid_file(path("missing/x.pid"), "").outcome, PidFileCreation::Failed);
  EXPECT_EQ(create_pid_file(path("missing/x.pid"), "").error, ENOENT);
}

TEST_F(PidFiles, OnlyOurOwnPidFileIsRemoved) {
  std::string file = path("own.pid");
  write_file(file, "1\n");
  EXPECT_TRUE(remove_own_pid_file(file));
  EXPECT_EQ(read_file(file), "1\n");
  write_file(file, std::to_string(::getpid()) + "\n");
  EXPECT_TRUE(remove_own_pid_file(file));
  EXPECT_NE(::access(file.c_str(), F_OK), 0);
  EXPECT_TRUE(remove_own_pid_file(file)) << "already gone is fine";
}

}  // namespace
}  // namespace nixproc::daemon
