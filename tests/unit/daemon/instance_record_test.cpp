// Process identity, safe reads of files others may plant, and instance
// records: what nixproc trusts to decide which processes are an instance's.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "daemon/instance_control.h"
#include "daemon/instance_record.h"
#include "daemon/pidfile.h"
#include "daemon/process_info.h"
#include "daemon/safe_files.h"
#include "test_support.h"

namespace nixproc::daemon {
namespace {

using namespace testing;
using Clock = std::chrono::steady_clock;

class Identity : public DaemonTest {};

TEST_F(Identity, APidAloneIsNoIdentity) {
  pid_t child = track(start_program({hold_program()}));
  auto identity = identify(child);
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->pid, child);
  EXPECT_EQ(identity->boot, boot_id());
  EXPECT_FALSE(boot_id().empty());
  EXPECT_TRUE(still_runs(*identity));

  // The same PID with another start time, or of another boot, is another
  // process: never signalled.
  ProcessIdentity later = *identity;
  later.start_ticks += 1;
  EXPECT_FALSE(still_runs(later));
  EXPECT_FALSE(signal_process(later, SIGTERM));
  ProcessIdentity other_boot = *identity;
  other_boot.boot = "00000000-0000-0000-0000-000000000000";
  EXPECT_FALSE(still_runs(other_boot));
  EXPECT_FALSE(signal_process(other_boot, SIGTERM));
  EXPECT_FALSE(is_gone(child)) << "neither signal reached it";

  EXPECT_TRUE(signal_process(*identity, SIGTERM));
  EXPECT_NE(wait_for_exit(child), -1);
  EXPECT_FALSE(still_runs(*identity)) << "gone, and not a zombie";
}

TEST_F(Identity, DescendantsOfAProcess) {
  pid_t shell = track(start_program({"/bin/sh", "-c", "sleep 30 & exec sleep 32"}));
  const std::string sleep_30(
      "sleep\0"
      "30\0",
      9);
  // The background child is the shell until it has exec'd sleep.
  auto sleeping = [&] {
    auto found = live_descendants(process_table(), shell);
    return found.size() == 1 && read_file(proc_file(found[0].pid, "cmdline")) == sleep_30;
  };
  ASSERT_TRUE(eventually(sleeping)) << "no single descendant running sleep 30";
  auto children = live_descendants(process_table(), shell);
  ASSERT_EQ(children.size(), 1u);
  EXPECT_EQ(read_file(proc_file(children[0].pid, "cmdline")), sleep_30);
  for (auto& child : children) signal_process(child, SIGKILL);
}

class SafeFiles : public DaemonTest {};

TEST_F(SafeFiles, NeverFollowsOrBlocks) {
  write_file(path("secret"), "4242\n");
  ASSERT_EQ(::symlink(path("secret").c_str(), path("link").c_str()), 0);
  ASSERT_EQ(::mkfifo(path("fifo").c_str(), 0600), 0);
  ASSERT_EQ(::mkdir(path("dir").c_str(), 0755), 0);

  auto started = Clock::now();
  EXPECT_EQ(read_small_file(path("link")).outcome, SmallFile::NotRegular);
  EXPECT_EQ(read_small_file(path("fifo")).outcome, SmallFile::NotRegular);
  EXPECT_EQ(read_small_file(path("dir")).outcome, SmallFile::NotRegular);
  EXPECT_EQ(read_small_file(path("missing")).outcome, SmallFile::Missing);
  EXPECT_EQ(read_pid_file(path("link")), 0) << "a symlink's target is never read";
  EXPECT_EQ(check_pid_file(path("fifo"), "").state, PidFileCheck::Stale);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(2)) << "nothing blocked on the FIFO";
  EXPECT_EQ(read_small_file(path("secret")).content, "4242\n");
  write_file(path("big"), std::string(5000, '1'));
  EXPECT_EQ(read_small_file(path("big")).outcome, SmallFile::TooLarge);

  std::string problem;
  EXPECT_EQ(open_for_append(path("link"), 0640, &problem), -1);
  EXPECT_NE(problem.find("symbolic link"), std::string::npos) << problem;
  EXPECT_EQ(open_for_append(path("fifo"), 0640, &problem), -1);
  ASSERT_EQ(::link(path("secret").c_str(), path("hardlink").c_str()), 0);
  EXPECT_EQ(open_for_append(path("hardlink"), 0640, &problem), -1);
  EXPECT_NE(problem.find("hard links"), std::string::npos) << problem;
  EXPECT_EQ(read_file(path("secret")), "4242\n") << "nothing was written through any of them";
  int fd = open_for_append(path("log"), 0640, &problem);
  ASSERT_GE(fd, 0) << problem;
  ::close(fd);

  EXPECT_TRUE(remove_debris(path("link"), &problem));
  EXPECT_TRUE(remove_debris(path("fifo"), &problem));
  EXPECT_TRUE(remove_debris(path("dir"), &problem));
  EXPECT_TRUE(remove_debris(path("missing"), &problem));
  EXPECT_FALSE(remove_debris(path("secret"), &problem)) << "a regular file is no debris";
  EXPECT_TRUE(::access(path("secret").c_str(), F_OK) == 0);
}

TEST_F(SafeFiles, APidFileSpeaksOnlyForItsOwnersProcesses) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to own a file as another user";
  pid_t mine = track(start_program({hold_program()}));
  write_file(path("planted.pid"), std::to_string(mine) + "\n");
  ASSERT_EQ(::chown(path("planted.pid").c_str(), 65534, 65534), 0);
  EXPECT_EQ(check_pid_file(path("planted.pid"), "").state, PidFileCheck::Stale)
      << "nobody's file cannot name root's process";
  ASSERT_EQ(::chown(path("planted.pid").c_str(), 0, 0), 0);
  EXPECT_EQ(check_pid_file(path("planted.pid"), "").state, PidFileCheck::Running);
}

class Records : public DaemonTest {
 protected:
  std::string record_dir() { return path("instances") + "/a"; }
};

TEST_F(Records, RoundTripAndCutShort) {
  InstanceRecord record{{100, 5000, "boot-1"}, {101, 5001, "boot-1"}};
  std::string text = format_record(record);
  auto parsed = parse_record(text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->keeper, record.keeper);
  EXPECT_EQ(parsed->main, record.main);
  EXPECT_FALSE(parse_record(text.substr(0, text.size() - 4)))
      << "a record cut short proves nothing";
  EXPECT_FALSE(parse_record("nixproc-instance-record 1\nboot b\nkeeper x 1\nend\n"));
  EXPECT_FALSE(parse_record("garbage"));
  EXPECT_FALSE(parse_record(""));
  InstanceRecord starting{{100, 5000, "boot-1"}, {}};
  auto without_main = parse_record(format_record(starting));
  ASSERT_TRUE(without_main);
  EXPECT_FALSE(without_main->main.known());
}

TEST_F(Records, OnlyPrivateDirectoriesAreTrusted) {
  RecordDirectory directory;
  std::string problem;
  ASSERT_TRUE(directory.open(record_dir(), &problem)) << problem;
  ASSERT_TRUE(directory.lock());
  pid_t held = track(start_program({hold_program()}));
  InstanceRecord record{*identify(::getpid()), *identify(held)};
  ASSERT_TRUE(directory.write(record, &problem)) << problem;
  EXPECT_EQ(inspect_instance(record_dir()).kind, InstanceState::Running);
  EXPECT_EQ(inspect_instance(record_dir()).main, held);

  RecordDirectory second;
  ASSERT_TRUE(second.open(record_dir(), &problem));
  EXPECT_FALSE(second.lock()) << "one keeper per instance";

  // A directory others may write is no proof of anything.
  ::chmod(path("instances").c_str(), 0777);
  InstanceState untrusted = inspect_instance(record_dir());
  EXPECT_EQ(untrusted.kind, InstanceState::Stopped);
  EXPECT_NE(untrusted.problem.find("may be written by other users"), std::string::npos)
      << untrusted.problem;
  EXPECT_FALSE(signal_instance(record_dir(), SIGTERM));
  EXPECT_FALSE(stop_instance(record_dir(), 1).was_running);
  EXPECT_FALSE(is_gone(held)) << "an untrusted record made nobody signal anything";
  ::chmod(path("instances").c_str(), 0755);

  // A symlink in place of the directory neither.
  ASSERT_EQ(::rename(path("instances").c_str(), path("real").c_str()), 0);
  ASSERT_EQ(::symlink(path("real").c_str(), path("instances").c_str()), 0);
  EXPECT_NE(inspect_instance(record_dir()).problem, "");
  RecordDirectory through_link;
  EXPECT_FALSE(through_link.open(record_dir(), &problem));
}

TEST_F(Records, AReaderNeverMissesARecordBeingReplaced) {
  RecordDirectory directory;
  std::string problem;
  ASSERT_TRUE(directory.open(record_dir(), &problem)) << problem;
  InstanceRecord record{*identify(::getpid()), *identify(::getpid())};
  ASSERT_TRUE(directory.write(record, &problem));
  std::atomic<bool> done = false;
  std::thread writer([&] {
    for (bool ready = false; !done; ready = !ready) {
      record.ready = ready;
      std::string ignored;
      directory.write(record, &ignored);
    }
  });
  int missed = 0;
  for (int i = 0; i < 2000; ++i)
    if (inspect_instance(record_dir()).kind != InstanceState::Running) ++missed;
  done = true;
  writer.join();
  EXPECT_EQ(missed, 0) << "the keeper replaces its record while nixproc reads it";
}

TEST_F(Records, ARecordNamingAnotherProcessByPidIsStale) {
  pid_t other = track(start_program({hold_program()}));
  RecordDirectory directory;
  std::string problem;
  ASSERT_TRUE(directory.open(record_dir(), &problem)) << problem;
  // The PID of a live process with another start time: a reused PID.
  ProcessIdentity reused = *identify(other);
  reused.start_ticks -= 10;
  ProcessIdentity dead_keeper = {other, reused.start_ticks, boot_id()};
  ASSERT_TRUE(directory.write({dead_keeper, reused}, &problem));
  EXPECT_EQ(inspect_instance(record_dir()).kind, InstanceState::Stopped);
  EXPECT_FALSE(signal_instance(record_dir(), SIGTERM));
  StopResult stopped = stop_instance(record_dir(), 1);
  EXPECT_FALSE(stopped.was_running);
  EXPECT_FALSE(is_gone(other)) << "the process with the reused PID got no signal";
}

TEST_F(Records, AnOrphanedMainProcessAndItsChildrenAreEnded) {
  // What a killed keeper leaves: the main process and its child, with no
  // keeper alive.
  pid_t main = track(start_program({"/bin/sh", "-c", "sleep 30 & wait"}));
  ASSERT_TRUE(eventually([&] { return live_descendants(process_table(), main).size() == 1; }));
  pid_t child = live_descendants(process_table(), main)[0].pid;
  RecordDirectory directory;
  std::string problem;
  ASSERT_TRUE(directory.open(record_dir(), &problem)) << problem;
  pid_t gone = start_program({"/bin/true"});
  auto gone_identity = identify(gone).value_or(ProcessIdentity{gone, 1, boot_id()});
  ASSERT_EQ(wait_for_exit(gone), 0);
  ASSERT_TRUE(directory.write({gone_identity, *identify(main)}, &problem));
  InstanceState state = inspect_instance(record_dir());
  EXPECT_EQ(state.kind, InstanceState::Orphaned);
  EXPECT_EQ(state.main, main);

  StopResult stopped = stop_instance(record_dir(), 2);
  EXPECT_TRUE(stopped.was_running);
  EXPECT_TRUE(stopped.survivors.empty());
  EXPECT_NE(wait_for_exit(main), -1);
  EXPECT_TRUE(eventually([&] { return is_gone(child); }));
  EXPECT_EQ(inspect_instance(record_dir()).kind, InstanceState::Stopped);
  EXPECT_EQ(::access((record_dir() + "/record").c_str(), F_OK), -1) << "the record went with them";
}

}  // namespace
}  // namespace nixproc::daemon
