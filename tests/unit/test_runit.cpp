// The runit backend's rendering through the real build step: the service
// directory's files, the run and log/run scripts, hostile strings.
#include <sys/stat.h>

#include <algorithm>

#include "backends/backend.h"
#include "build_support.h"
#include "deploy/build.h"
#include "test_support.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

using testing::Built;
using testing::split_nul;
using testing::TempDir;
using testing::webapps;
using testing::write_recorders;

Built build(const TempDir& dir, const json& document, bool force = true,
            const std::string& state_dir = "") {
  return testing::build_with(dir, document, "runit",
                             {.force_disable_user_change = force, .state_dir = state_dir});
}

bool is_executable(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && (info.st_mode & S_IXUSR);
}

TEST(RunitRender, ServiceDirectoryFilesAndInfo) {
  TempDir dir;
  Built built = build(dir, webapps(false));
  for (const char* name : {"webapp", "nginx"}) {
    const auto& instance = built.instance(name);
    std::string base = std::string("etc/runit/sv/") + name;
    std::vector<std::string> paths;
    for (const auto& [path, stored] : instance.files) {
      paths.push_back(path);
      EXPECT_TRUE(is_executable(stored)) << path;
      EXPECT_TRUE(run({"sh", "-n", stored}).ok()) << path;
    }
    EXPECT_EQ(paths, (std::vector<std::string>{base + "/log/run", base + "/run"}));
    EXPECT_TRUE(fs::exists(built.output.profile_path + "/" + base + "/run"));
    EXPECT_EQ(instance.info["service"], name);
    EXPECT_EQ(instance.info["run"], base + "/run");
    EXPECT_EQ(instance.info["logRun"], base + "/log/run");
    EXPECT_EQ(instance.info["serviceDir"], dir / "var/lib/nixproc-runit/sv/" + name);
    EXPECT_EQ(instance.info["scanDir"], dir / "var/run/nixproc-runit/service");
    EXPECT_EQ(instance.info["pidFile"], dir / "var/run/nixproc-runsvdir.pid");
    EXPECT_EQ(instance.info["logDir"], dir / "var/log/" + name);
    EXPECT_FALSE(instance.info.contains("user"));
  }
  // nginx can run in the foreground: it does, under its keeper, its stderr
  // going to the log.
  EXPECT_EQ(built.file("nginx", "etc/runit/sv/nginx/run"),
            "#! /bin/sh -e\nexec 2>&1\nexec '" + dir / "runtime/bin/nixproc-foreground-proxy" +
                "' '--record' '" + dir / "var/run/nixproc-instances/nginx" +
                "' '--' '/usr/sbin/nginx' '-g' 'daemon off;'\n");
  EXPECT_EQ(built.file("nginx", "etc/runit/sv/nginx/log/run"),
            "#! /bin/sh -e\nmkdir -p '" + dir / "var/log/nginx" + "'\nexec svlogd -tt '" +
                dir / "var/log/nginx" + "'\n");
}

TEST(RunitRender, DaemonOnlyProcessesRunThroughTheForegroundProxy) {
  TempDir dir;
  json document = {{"d",
                    {{"pkg",
                      {{"instanceName", "d"},
                       {"daemon", "/opt/bin/d"},
                       {"daemonArgs", {"-D"}},
                       {"environment", {{"PORT", 5000}}}}}}}};
  Built built = build(dir, document);
  std::string run_script = built.file("d", "etc/runit/sv/d/run");
  EXPECT_NE(run_script.find("export PORT='5000'\n"), std::string::npos) << run_script;
  EXPECT_NE(
      run_script.find("exec '" + dir / "runtime/bin/nixproc-foreground-proxy" + "' '--record' '" +
                      dir / "var/run/nixproc-instances/d" + "' '--pid-file' '" +
                      dir / "var/run/d.pid" + "' '--' '/opt/bin/d' '-D'\n"),
      std::string::npos)
      << run_script;
}

TEST(RunitRender, UserSwitchingOnlyWithoutForceDisable) {
  TempDir dir;
  Built forced = build(dir, webapps(true), true);
  EXPECT_EQ(forced.file("webapp", "etc/runit/sv/webapp/run").find("'--user'"), std::string::npos);
  TempDir other;
  Built privileged = build(other, webapps(true), false);
  std::string run_script = privileged.file("webapp", "etc/runit/sv/webapp/run");
  EXPECT_NE(run_script.find("'--user' 'webapp' '--' "), std::string::npos) << run_script;
  EXPECT_EQ(privileged.instance("webapp").info["user"], "webapp");
}

TEST(RunitRender, OverridesAndUnknownFields) {
  TempDir dir;
  json overridden = webapps(false);
  overridden["nginx"]["pkg"]["overrides"] = {{"runit", {{"args", {"-q"}}}}};
  EXPECT_NE(build(dir, overridden)
                .file("nginx", "etc/runit/sv/nginx/run")
                .find("'--' '/usr/sbin/nginx' '-q'\n"),
            std::string::npos);

  json unknown = webapps(false);
  unknown["nginx"]["pkg"]["overrides"] = {{"runit", {{"finish", "x"}}}};
  EXPECT_ERROR_CONTAINS(build(dir, unknown), "instance nginx (runit): field finish: unknown field");
}

// Every hostile string reaches the process's argv and environment unchanged,
// in both modes, and a hostile state dir reaches svlogd unchanged.
void expect_round_trip(bool foreground) {
  TempDir dir;
  json args = testing::hostile_args();
  json env = testing::hostile_environment();
  std::string program = dir / "runtime/bin/recorder";
  json pkg = {{"instanceName", "h"}, {"args", args}, {"environment", env}};
  pkg[foreground ? "foregroundProcess" : "daemon"] = program;
  std::string state = dir / "it's $a \"var\" `x` \\ 100%";
  Built built = build(dir, {{"h", {{"pkg", pkg}}}}, true, state);

  std::string record = dir / "record";
  SpawnOptions options = capturing();
  options.environment = {"RECORD=" + record, "PATH=" + dir / "runtime/bin" + ":/usr/bin:/bin"};
  RunResult result = run({built.output.profile_path + "/etc/runit/sv/h/run"}, options);
  ASSERT_TRUE(result.ok()) << result.err << result.out;
  auto recorded = split_nul(fs::read_file(record));
  auto position = std::find(recorded.begin(), recorded.end(), program);
  ASSERT_NE(position, recorded.end());
  EXPECT_EQ(std::vector<std::string>(position + 1, recorded.end()), testing::hostile_strings());
  auto environment = split_nul(fs::read_file(record + ".env"));
  for (size_t i = 0; i < testing::hostile_strings().size(); ++i)
    EXPECT_NE(std::find(environment.begin(), environment.end(),
                        "V" + std::to_string(i) + "=" + testing::hostile_strings()[i]),
              environment.end())
        << "V" << i;
  if (!foreground) {
    EXPECT_EQ(std::vector<std::string>(recorded.begin() + 1, position),
              (std::vector<std::string>{"--record", state + "/run/nixproc-instances/h",
                                        "--pid-file", state + "/run/h.pid", "--"}));
  }

  // log/run with an svlogd that records its arguments.
  write_recorders(dir / "runtime/bin", {"svlogd"});
  result = run({built.output.profile_path + "/etc/runit/sv/h/log/run"}, options);
  ASSERT_TRUE(result.ok()) << result.err << result.out;
  EXPECT_TRUE(fs::is_directory(state + "/log/h"));
  recorded = split_nul(fs::read_file(record));
  EXPECT_EQ(std::vector<std::string>(recorded.begin() + 1, recorded.end()),
            (std::vector<std::string>{"-tt", state + "/log/h"}));
}

TEST(HostileStrings, RunitForegroundMode) {
  expect_round_trip(true);
}

TEST(HostileStrings, RunitDaemonMode) {
  expect_round_trip(false);
}

}  // namespace
}  // namespace nixproc
