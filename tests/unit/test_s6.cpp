// The s6 backend's rendering through the real build step: service
// directories with their log/run and readiness, hostile strings in the run
// and log/run scripts.
#include "build_support.h"
#include "test_support.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

using namespace testing;

TEST(S6Render, ServiceDirectoriesWithLogAndReadiness) {
  TempDir dir;
  json model = webapps(true);
  model["d"] = {{"pkg",
                 {{"instanceName", "d"},
                  {"daemon", "/opt/bin/d"},
                  {"pidFile", "/tmp/d.pid"},
                  {"dependencies", {"webapp"}}}}};
  Built built = build_with(dir, model, "s6", false);
  const ManifestInstance& webapp = *built.output.manifest.find("webapp");
  EXPECT_EQ(webapp.files.size(), 3u) << "run, log/run and notification-fd";
  std::string run = built.file("webapp", "etc/s6/sv/webapp/run");
  EXPECT_NE(run.find("exec 2>&1\n"), std::string::npos) << "stderr goes to the logger too";
  EXPECT_NE(run.find("'--user' 'webapp' '--notify-fd' '3' '--' '/opt/bin/webapp'\n"),
            std::string::npos)
      << run;
  std::string log = built.file("webapp", "etc/s6/sv/webapp/log/run");
  EXPECT_NE(log.find("exec s6-log -b n20 s1000000 T '" + dir.path() + "/var/log/webapp'\n"),
            std::string::npos)
      << log;
  EXPECT_EQ(webapp.info["serviceDir"], dir.path() + "/var/lib/nixproc-s6/sv/webapp");
  EXPECT_EQ(webapp.info["scanDir"], dir.path() + "/var/run/nixproc-s6/service");

  // Every process runs under its keeper, which reports readiness on fd 3
  // once the process stayed up (a daemon: once its PID file named it).
  EXPECT_EQ(built.file("webapp", "etc/s6/sv/webapp/notification-fd"), "3\n");
  EXPECT_EQ(built.file("d", "etc/s6/sv/d/notification-fd"), "3\n");
  EXPECT_NE(built.file("d", "etc/s6/sv/d/run")
                .find("'--pid-file' '/tmp/d.pid' '--notify-fd' '3' '--' '/opt/bin/d'\n"),
            std::string::npos);
  EXPECT_TRUE(built.output.manifest.find("d")->info.contains("notificationFd"));
}

TEST(HostileStrings, S6LogRunScript) {
  // The log directory reaches s6-log exactly, however the state dirs are named.
  TempDir dir;
  std::string log_dir = dir / "log it's \"$HOME\" `x` 100% a\\b\nc";
  Built built =
      build_with(dir, {{"h", {{"pkg", {{"instanceName", "h"}, {"foregroundProcess", "/bin/h"}}}}}},
                 "s6", {.prepare = [&](Context& context) { context.dirs.log_dir = log_dir; }});
  std::string log_run = built.output.profile_path + "/etc/s6/sv/h/log/run";
  fs::make_directories(dir / "fake");
  fs::write_file_atomic(dir / "fake/s6-log", "#!/bin/sh\nprintf '%s\\0' \"$@\" > \"$RECORD\"\n",
                        0755);
  SpawnOptions options = capturing();
  options.environment = {"RECORD=" + (dir / "record"), "PATH=" + (dir / "fake") + ":/usr/bin:/bin"};
  RunResult result = run({log_run}, options);
  ASSERT_TRUE(result.ok()) << result.err << result.out;
  EXPECT_TRUE(fs::is_directory(log_dir + "/h")) << "log/run creates it";
  EXPECT_EQ(split_nul(fs::read_file(dir / "record")),
            (std::vector<std::string>{"-b", "n20", "s1000000", "T", log_dir + "/h"}));
  EXPECT_TRUE(built.output.manifest.find("h")->info.contains("notificationFd"))
      << "its keeper reports readiness";
}

TEST(HostileStrings, S6RunScript) {
  expect_hostile_round_trips("s6", "etc/s6/sv/h/run");
}

}  // namespace
}  // namespace nixproc
