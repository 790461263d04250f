// Dropping privileges, for real: only as root, becoming `nobody`.
#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "daemon/daemonize.h"
#include "daemon/privileges.h"
#include "test_support.h"

namespace nixproc::daemon {
namespace {

using namespace testing;

class Privileges : public DaemonTest {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root";
    if (!::getpwnam("nobody")) GTEST_SKIP() << "needs the user nobody";
    DaemonTest::SetUp();
  }
  std::string nobody_ids() {
    struct passwd* nobody = ::getpwnam("nobody");
    std::string uid = std::to_string(nobody->pw_uid), gid = std::to_string(nobody->pw_gid);
    return uid + "\t" + uid + "\t" + uid + "\t" + uid + "|" + gid + "\t" + gid + "\t" + gid + "\t" +
           gid;
  }
  // The groups initgroups gives nobody, as /proc/<pid>/status lists them.
  std::string nobody_groups() {
    struct passwd* nobody = ::getpwnam("nobody");
    int count = 64;
    std::vector<gid_t> groups(static_cast<size_t>(count));
    ::getgrouplist("nobody", nobody->pw_gid, groups.data(), &count);
    groups.resize(static_cast<size_t>(count));
    std::sort(groups.begin(), groups.end());
    std::string text;
    for (gid_t group : groups) text += (text.empty() ? "" : " ") + std::to_string(group);
    return text;
  }
};

TEST_F(Privileges, TheDaemonRunsAsTheUserWithItsGroups) {
  // Give the caller a supplementary group nobody does not have.
  std::vector<gid_t> previous(static_cast<size_t>(::getgroups(0, nullptr)));
  ::getgroups(static_cast<int>(previous.size()), previous.data());
  gid_t extra[] = {0, 4};
  ASSERT_EQ(::setgroups(2, extra), 0);
  Options options;
  options.pid_file = path("nobody.pid");
  options.user = "nobody";
  Result result = daemonize_exec(options, {hold_program()});
  track(result.pid);
  ::setgroups(previous.size(), previous.data());
  ASSERT_EQ(result.status, Status::Success) << result.detail;
  EXPECT_EQ(status_field(result.pid, "Uid") + "|" + status_field(result.pid, "Gid"), nobody_ids());
  EXPECT_EQ(status_field(result.pid, "Groups"), nobody_groups());
  EXPECT_EQ(read_file(path("nobody.pid")), std::to_string(result.pid) + "\n")
      << "written while still root";
}

TEST_F(Privileges, AnUnknownUserIsReportedAndLeavesNoPidFile) {
  Options options;
  options.pid_file = path("unknown.pid");
  options.user = "nixproc-no-such-user";
  Result result = daemonize_exec(options, {hold_program()});
  EXPECT_EQ(result.status, Status::CannotDropPrivileges);
  EXPECT_EQ(result.detail, "Cannot find password entry for user: nixproc-no-such-user");
  EXPECT_NE(::access(options.pid_file.c_str(), F_OK), 0);
}

TEST_F(Privileges, RootCannotBeRegained) {
  pid_t child = ::fork();
  if (child == 0) {
    if (!drop_privileges("nobody").empty()) ::_exit(1);
    if (::setuid(0) == 0 || ::seteuid(0) == 0 || ::setgid(0) == 0) ::_exit(2);
    if (!drop_privileges("nobody").empty()) ::_exit(3);  // already nobody: fine
    ::_exit(drop_privileges("root").empty() ? 4 : 0);
  }
  int wait_status = 0;
  ::waitpid(child, &wait_status, 0);
  ASSERT_TRUE(WIFEXITED(wait_status));
  EXPECT_EQ(WEXITSTATUS(wait_status), 0);
}

}  // namespace
}  // namespace nixproc::daemon
