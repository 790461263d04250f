// The pure parts: environment sanitising and the PATH search.
#include <gtest/gtest.h>

#include "daemon/environment.h"
#include "daemon/program_search.h"
#include "daemon/status.h"

namespace nixproc::daemon {
namespace {

using Entries = std::vector<std::string>;

std::vector<char*> environ_of(Entries& entries) {
  std::vector<char*> pointers;
  for (auto& entry : entries) pointers.push_back(entry.data());
  pointers.push_back(nullptr);
  return pointers;
}

TEST(Environment, TheDefaultKeepsOnlyHarmlessVariables) {
  Entries current = {"PATH=/bin", "SECRET=x",   "LANG=C.UTF-8", "LC_ALL=C",     "LCX=no",
                     "TZ=UTC",    "HOME=/root", "USER=root",    "LOGNAME=root", "TERM=xterm"};
  auto pointers = environ_of(current);
  EXPECT_EQ(daemon_environment(pointers.data(), {}),
            (Entries{"PATH=/bin", "LANG=C.UTF-8", "LC_ALL=C", "TZ=UTC", "HOME=/root", "USER=root",
                     "LOGNAME=root"}));
}

TEST(Environment, PolicyVariants) {
  Entries current = {"SECRET=x", "KEEP=1"};
  auto pointers = environ_of(current);
  EnvironmentPolicy policy;
  EXPECT_EQ(daemon_environment(pointers.data(), policy),
            (Entries{std::string("PATH=") + kDefaultPath}));
  policy.keep = {"KEEP"};
  policy.additions = {"PATH=/opt/bin", "KEEP=2", "NEW=a=b"};
  EXPECT_EQ(daemon_environment(pointers.data(), policy),
            (Entries{"KEEP=2", "PATH=/opt/bin", "NEW=a=b"}));
  policy = {};
  policy.inherit = true;
  EXPECT_EQ(daemon_environment(pointers.data(), policy), (Entries{"SECRET=x", "KEEP=1"}))
      << "inheriting adds no PATH";
  EXPECT_EQ(daemon_environment(nullptr, policy), Entries{});
}

TEST(ProgramSearch, Candidates) {
  EXPECT_EQ(program_candidates("/usr/bin/env", "/x"), Entries{"/usr/bin/env"});
  EXPECT_EQ(program_candidates("./run", "/x"), Entries{"./run"});
  EXPECT_EQ(program_candidates("env", "/a::/b:"), (Entries{"/a/env", "/b/env"}))
      << "empty elements (the working directory) are skipped";
  EXPECT_EQ(program_candidates("", "/a"), Entries{});
  EXPECT_EQ(first_executable(program_candidates("sh", "/nonexistent:/etc:/bin")), "/bin/sh");
  EXPECT_EQ(first_executable({"/etc/passwd", "/etc"}), "");
}

TEST(Status, NumbersAndDescriptions) {
  EXPECT_EQ(static_cast<int>(Status::AlreadyRunning), 17);
  EXPECT_STREQ(describe(Status::CannotCreatePidFile), "Cannot create PID file!");
  EXPECT_STREQ(describe(Status::CannotInitDaemon), "Cannot initialize the daemon!");
  EXPECT_EQ(status_from_byte(16), Status::NotReady);
  EXPECT_EQ(status_from_byte(18), std::nullopt);
  for (int value = 0; value <= 17; ++value)
    EXPECT_STRNE(describe(static_cast<Status>(value)), "Unknown daemon status!");
}

}  // namespace
}  // namespace nixproc::daemon
