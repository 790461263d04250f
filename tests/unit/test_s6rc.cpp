// The s6-rc backend's rendering: service definitions (longruns with log
// companions, oneshots, the default bundle), the source check, and hostile
// strings through execline run for real with execlineb.
#include <sys/stat.h>

#include <algorithm>

#include "backends/s6rc/source_check.h"
#include "build_support.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

using testing::Built;
using testing::TempDir;

Built build(const TempDir& dir, const json& document, bool force = true) {
  return testing::build_with(dir, document, "s6-rc", force);
}

json system_model() {
  return {{"webapp",
           {{"pkg",
             {{"instanceName", "webapp"},
              {"foregroundProcess", "/opt/bin/webapp"},
              {"environment", {{"PORT", 5000}}},
              {"user", "webapp"}}}}},
          {"nginx",
           {{"pkg",
             {{"instanceName", "nginx"},
              {"foregroundProcess", "/usr/sbin/nginx"},
              {"initialize", "mkdir -p /tmp/x"},
              {"dependencies", {"webapp"}}}}}},
          {"forker",
           {{"pkg",
             {{"instanceName", "forker"},
              {"daemon", "/opt/bin/forker"},
              {"daemonArgs", {"--fork"}},
              {"dependencies", {"webapp"}}}}}}};
}

std::string sv(const Built& built, const std::string& path) {
  return fs::read_file(built.profile("etc/s6/sv/" + path));
}

bool executable(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && (info.st_mode & S_IXUSR);
}

TEST(S6RcRender, LongrunsWithLogCompanionsOneshotsAndTheDefaultBundle) {
  TempDir dir;
  Built built = build(dir, system_model());
  EXPECT_EQ(sv(built, "webapp-srv/type"), "longrun\n");
  EXPECT_EQ(sv(built, "webapp-srv/producer-for"), "webapp-log\n");
  EXPECT_TRUE(executable(built.profile("etc/s6/sv/webapp-srv/run")));
  std::string run = sv(built, "webapp-srv/run");
  EXPECT_EQ(run.rfind("#!", 0), 0u);
  EXPECT_NE(run.find(" -P\n"), std::string::npos);
  EXPECT_NE(run.find("/export \"PORT\" \"5000\"\n"), std::string::npos) << run;
  EXPECT_NE(run.find("fdmove \"-c\" \"2\" \"1\"\n"), std::string::npos) << run;
  EXPECT_EQ(run.find("s6-setuidgid"), std::string::npos) << "no user switching when disabled";
  EXPECT_NE(run.find("\"/opt/bin/webapp\"\n"), std::string::npos) << run;

  EXPECT_EQ(sv(built, "webapp-log/type"), "longrun\n");
  EXPECT_EQ(sv(built, "webapp-log/consumer-for"), "webapp-srv\n");
  EXPECT_EQ(sv(built, "webapp-log/pipeline-name"), "webapp\n");
  EXPECT_EQ(sv(built, "webapp-log/notification-fd"), "3\n");
  std::string log_run = sv(built, "webapp-log/run");
  EXPECT_NE(log_run.find("s6-log -d3 \"" + dir.path() + "/var/log/s6-log/webapp\""),
            std::string::npos)
      << log_run;
  EXPECT_EQ(log_run.find("chown"), std::string::npos);

  // initialize runs first, as its own script; a failure stops the start.
  std::string nginx_run = sv(built, "nginx-srv/run");
  const auto& nginx = built.instance("nginx");
  std::string initialize = nginx.files.at("etc/s6/sv/nginx-srv/initialize");
  EXPECT_NE(nginx_run.find("if { \"" + initialize + "\" }"), std::string::npos) << nginx_run;
  EXPECT_EQ(fs::read_file(initialize), "#! /bin/sh -e\nmkdir -p /tmp/x\n");
  EXPECT_EQ(sv(built, "nginx-srv/dependencies"), "webapp-srv\n");

  // A daemon-only process is a oneshot stopped through its PID file.
  EXPECT_EQ(sv(built, "forker/type"), "oneshot\n");
  EXPECT_NE(sv(built, "forker/up").find("\"/opt/bin/forker\" \"--fork\"\n"), std::string::npos);
  std::string down = sv(built, "forker/down");
  EXPECT_NE(down.find("\"" + dir.path() + "/var/run/forker.pid\""), std::string::npos) << down;
  EXPECT_NE(down.find(" $PID\n"), std::string::npos);
  EXPECT_EQ(sv(built, "forker/dependencies"), "webapp-srv\n");
  EXPECT_FALSE(fs::exists(built.profile("etc/s6/sv/forker-log")));

  EXPECT_EQ(sv(built, "default/type"), "bundle\n");
  EXPECT_EQ(sv(built, "default/contents"), "webapp\nforker\nnginx\n");
  EXPECT_EQ(built.instance("webapp").info["service"], "webapp");
  EXPECT_EQ(built.instance("forker").info["serviceType"], "oneshot");
  auto problems = s6rc::source_problems(built.profile("etc/s6/sv"));
  EXPECT_TRUE(problems.empty()) << problems[0];
}

// createServiceBundle: a bundle of a logged longrun (its pipeline) and a
// oneshot, which s6-rc-compile would accept; contents must be dependencies.
TEST(S6RcRender, ServiceBundle) {
  TempDir dir;
  json model = system_model();
  model["both"] = {{"pkg",
                    {{"type", "s6-rc-service"},
                     {"name", "both"},
                     {"serviceType", "bundle"},
                     {"contents", {"webapp", "forker"}},
                     {"dependencies", {"webapp", "forker"}}}}};
  Built built = build(dir, model);
  EXPECT_EQ(sv(built, "both/type"), "bundle\n");
  EXPECT_EQ(sv(built, "both/contents"), "webapp\nforker\n");
  EXPECT_FALSE(fs::exists(built.profile("etc/s6/sv/both/dependencies")));
  EXPECT_EQ(built.instance("both").info["serviceType"], "bundle");
  auto problems = s6rc::source_problems(built.profile("etc/s6/sv"));
  EXPECT_TRUE(problems.empty()) << problems[0];

  model["both"]["pkg"]["dependencies"] = {"webapp"};
  EXPECT_ERROR_CONTAINS(build(dir, model),
                        "instance both (s6-rc): field contents: \"forker\" is not one of");
}

TEST(S6RcRender, UsersAndTheLogAccount) {
  TempDir dir;
  Built built = build(dir, system_model(), false);
  std::string run = sv(built, "webapp-srv/run");
  EXPECT_NE(run.find("s6-setuidgid \"webapp\"\n"), std::string::npos) << run;
  std::string log_run = sv(built, "webapp-log/run");
  EXPECT_NE(log_run.find("chown -R s6-log:s6-log"), std::string::npos) << log_run;
  EXPECT_NE(log_run.find("s6-setuidgid s6-log\n"), std::string::npos) << log_run;
  const json& credentials = built.instance("webapp").credentials;
  EXPECT_TRUE(credentials["users"].contains("s6-log")) << credentials.dump();
  EXPECT_TRUE(credentials["groups"].contains("s6-log")) << credentials.dump();
}

TEST(S6RcRender, NativeDefinitionsOverridesAndErrors) {
  TempDir dir;
  json native = {{"tick",
                  {{"pkg",
                    {{"type", "s6-rc-service"},
                     {"name", "tick"},
                     {"serviceType", "longrun"},
                     {"run", "#!/bin/sh\nexec sleep 100\n"},
                     {"autoGenerateLogService", false},
                     {"timeoutKill", 500},
                     {"flagEssential", true}}}}}};
  Built built = build(dir, native);
  EXPECT_EQ(sv(built, "tick/run"), "#!/bin/sh\nexec sleep 100\n");
  EXPECT_EQ(sv(built, "tick/timeout-kill"), "500\n");
  EXPECT_EQ(sv(built, "tick/flag-essential"), "");
  EXPECT_EQ(sv(built, "default/contents"), "tick\n");

  json overridden = system_model();
  overridden["webapp"]["pkg"]["overrides"] = {{"s6-rc", {{"downSignal", "SIGINT"}}}};
  TempDir other;
  EXPECT_EQ(sv(build(other, overridden), "webapp-srv/down-signal"), "SIGINT\n");

  TempDir bad;
  json reserved = {
      {"default", {{"pkg", {{"instanceName", "default"}, {"foregroundProcess", "/bin/true"}}}}}};
  EXPECT_ERROR_CONTAINS(build(bad, reserved), "reserved by s6-rc");
  native["tick"]["pkg"]["serviceType"] = "bundle-ish";
  EXPECT_ERROR_CONTAINS(build(bad, native), "serviceType");
  native["tick"]["pkg"]["serviceType"] = "longrun";
  native["tick"]["pkg"]["runn"] = "typo";
  EXPECT_ERROR_CONTAINS(build(bad, native), "runn");
}

TEST(S6RcSourceCheck, FindsWhatS6RcCompileWouldReject) {
  TempDir dir;
  auto define = [&](const std::string& service, const std::string& file,
                    const std::string& content) {
    fs::make_directories(dir / service);
    fs::write_file_atomic(dir / (service + "/" + file), content);
  };
  define("a", "type", "longrun\n");
  define("a", "dependencies", "b\nghost\n");
  define("b", "type", "oneshot\n");
  define("b", "up", "true\n");
  define("b", "dependencies", "a\n");
  define("c", "type", "longrun\n");
  define("c", "run", "#!/bin/sh\n");
  define("c", "producer-for", "b\n");
  define("d", "type", "daemon\n");
  auto problems = s6rc::source_problems(dir.path());
  std::string all;
  for (const auto& problem : problems) all += problem + "\n";
  EXPECT_NE(all.find("a: a longrun without run"), std::string::npos) << all;
  EXPECT_NE(all.find("a: dependencies names ghost, which is not defined"), std::string::npos);
  EXPECT_NE(all.find("c: producer-for b is not matched"), std::string::npos) << all;
  EXPECT_NE(all.find("d: type is \"daemon\""), std::string::npos) << all;
  EXPECT_NE(all.find("dependency cycle: a -> b -> a"), std::string::npos) << all;
}

// Every hostile string reaches the process's argv and environment unchanged
// through execlineb, for a longrun's run and a oneshot's up.
void expect_round_trip(bool foreground) {
  TempDir dir;
  json args = testing::hostile_args();
  json env = testing::hostile_environment();
  std::string program = dir / "runtime/bin/recorder";
  json pkg = {{"instanceName", "h"},
              {"args", args},
              {"environment", env},
              {"pidFile", dir / "h.pid"},
              {"directory", dir / "a dir $x"},
              {"umask", "022"}};
  pkg[foreground ? "foregroundProcess" : "daemon"] = program;
  fs::make_directories(dir / "a dir $x");
  Built built = build(dir, {{"h", {{"pkg", pkg}}}});
  std::vector<std::string> argv = {built.profile("etc/s6/sv/h-srv/run")};
  if (!foreground) argv = {"execlineb", "-P", built.profile("etc/s6/sv/h/up")};
  std::string record = dir / "record";
  SpawnOptions options = capturing();
  options.environment = {"RECORD=" + record, "PATH=/usr/lib/execline/bin:/usr/bin:/bin"};
  RunResult result = run(argv, options);
  ASSERT_TRUE(result.ok()) << result.err << result.out;
  auto recorded = testing::split_nul(fs::read_file(record));
  ASSERT_FALSE(recorded.empty());
  EXPECT_EQ(recorded[0], program);
  EXPECT_EQ(std::vector<std::string>(recorded.begin() + 1, recorded.end()),
            testing::hostile_strings());
  auto environment = testing::split_nul(fs::read_file(record + ".env"));
  for (size_t i = 0; i < testing::hostile_strings().size(); ++i)
    EXPECT_NE(std::find(environment.begin(), environment.end(),
                        "V" + std::to_string(i) + "=" + testing::hostile_strings()[i]),
              environment.end())
        << "V" << i;
  EXPECT_NE(std::find(environment.begin(), environment.end(), "PWD=" + (dir / "a dir $x")),
            environment.end());
}

TEST(HostileStrings, S6RcLongrunRunScript) {
  expect_round_trip(true);
}

TEST(HostileStrings, S6RcOneshotUp) {
  expect_round_trip(false);
}

}  // namespace
}  // namespace nixproc
