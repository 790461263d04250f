// Rendering through the real build step into a temporary store: sysvinit
// scripts and rc links, disnix wrappers, overrides, hostile strings.
#include <sys/stat.h>

#include "backends/backend.h"
#include "build_support.h"
#include "deploy/build.h"
#include "test_support.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

using testing::split_nul;
using testing::TempDir;

struct Built {
  BuildOutput output;
  std::string file(const std::string& key, const std::string& path) const {
    const auto* instance = output.manifest.find(key);
    return fs::read_file(instance->files.at(path));
  }
};

// A runtime whose helpers only record how they were called: every argument
// NUL-terminated into $RECORD, then the environment into $RECORD.env.
void write_recording_runtime(const std::string& runtime) {
  fs::make_directories(runtime + "/bin");
  fs::make_directories(runtime + "/share");
  std::string recorder =
      "#!/bin/bash\nprintf '%s\\0' \"$0\" \"$@\" > \"$RECORD\"\nenv -0 > \"$RECORD.env\"\n";
  for (const char* tool : {"nixproc-daemon", "nixproc-chainload-user", "nixproc-pidof",
                           "nixproc-foreground-proxy", "recorder"})
    fs::write_file_atomic(runtime + "/bin/" + tool, recorder, 0755);
  fs::write_file_atomic(runtime + "/share/init-functions",
                        "log_info_msg() { :; }\nevaluate_retval() { return $?; }\n"
                        "pidofproc() { return 3; }\n"
                        "start_daemon() { while [ \"${1#-}\" != \"$1\" ]; do case $1 in -f) "
                        "shift;; *) shift 2;; esac; done; "
                        "printf '%s\\0' \"$@\" > \"$RECORD\"; env -0 > \"$RECORD.env\"; }\n");
}

Built build(const TempDir& dir, const json& document, const std::string& pm, bool force = true) {
  return {testing::build_output(dir, document, pm, force, [&](Context& context) {
    context.runtime = dir / "runtime";
    write_recording_runtime(context.runtime);
  })};
}

json webapps(bool with_user = true) {
  json webapp = {{"instanceName", "webapp"},
                 {"description", "Simple web application"},
                 {"process", "/opt/bin/webapp"},
                 {"daemonExtraArgs", {"-D"}},
                 {"environment", {{"PORT", 5000}}}};
  if (with_user) webapp["user"] = "webapp";
  return {{"webapp", {{"pkg", webapp}}},
          {"nginx",
           {{"pkg",
             {{"instanceName", "nginx"},
              {"process", "/usr/sbin/nginx"},
              {"foregroundProcessExtraArgs", {"-g", "daemon off;"}},
              {"dependencies", {"webapp"}}}}}}};
}

bool shell_syntax_ok(const std::string& file) {
  return run({"bash", "-n", file}).ok();
}

TEST(SysvinitRender, ScriptsLinksAndSequenceNumbers) {
  TempDir dir;
  Built built = build(dir, webapps(), "sysvinit");
  std::string profile = built.output.profile_path;
  std::string script = built.file("webapp", "etc/rc.d/init.d/webapp");
  EXPECT_NE(
      script.find("# Provides:      webapp\n# Default-Start: 3 4 5\n# Default-Stop:  0 1 2 6\n"),
      std::string::npos);
  EXPECT_NE(script.find("export PORT='5000'\n"), std::string::npos);
  // The declared user decides the PID file dir even when user changes are
  // disabled: the daemon writes it.
  std::string pid_file = dir.path() + "/var/tmp/webapp.pid";
  std::string record = dir.path() + "/var/run/nixproc-instances/webapp";
  std::string bin = dir.path() + "/runtime/bin/";
  EXPECT_NE(script.find("'" + bin + "nixproc-daemon' '--no-pid-file' '--inherit-env' '--output' '" +
                        dir.path() + "/var/log/nixproc-webapp.log' '--ready-fd' '3' " +
                        "'--ready-timeout' '300' '--' '" + bin +
                        "nixproc-foreground-proxy' '--record' '" + record + "' '--pid-file' '" +
                        pid_file + "' '--notify-fd' '3' '--' '/opt/bin/webapp' '-D'"),
            std::string::npos)
      << script;
  EXPECT_EQ(script.find("'--user'"), std::string::npos);
  EXPECT_NE(script.find("if pidofproc -r '" + record + "' '/opt/bin/webapp' >/dev/null; then"),
            std::string::npos);
  EXPECT_NE(script.find("killproc -r '" + record + "' '/opt/bin/webapp'\n"), std::string::npos);
  EXPECT_NE(script.find("killproc -r '" + record + "' '/opt/bin/webapp' -HUP"), std::string::npos);
  EXPECT_NE(script.find("statusproc -r '" + record + "' '/opt/bin/webapp'"), std::string::npos);
  EXPECT_EQ(built.output.manifest.find("webapp")->info["record"], record);
  EXPECT_NE(script.find("echo \"Usage: $0 {start|stop|reload|restart|status}\""),
            std::string::npos);
  EXPECT_TRUE(shell_syntax_ok(profile + "/etc/rc.d/init.d/webapp"));

  std::string nginx = built.file("nginx", "etc/rc.d/init.d/nginx");
  EXPECT_NE(nginx.find("# Should-Start:  webapp\n# Should-Stop:   webapp\n"), std::string::npos);
  EXPECT_EQ(fs::read_link(profile + "/etc/rc.d/rc3.d/S00webapp"), "../init.d/webapp");
  EXPECT_EQ(fs::read_link(profile + "/etc/rc.d/rc3.d/S01nginx"), "../init.d/nginx");
  EXPECT_EQ(fs::read_link(profile + "/etc/rc.d/rc0.d/K99webapp"), "../init.d/webapp");
  EXPECT_EQ(fs::read_link(profile + "/etc/rc.d/rc6.d/K98nginx"), "../init.d/nginx");
  EXPECT_FALSE(fs::lexists(profile + "/etc/rc.d/rc3.d/K98nginx"));
  EXPECT_EQ(built.output.manifest.instances[0].key, "webapp");  // start order
  EXPECT_EQ(built.output.manifest.find("nginx")->info["sequence"], 1);
}

TEST(SysvinitRender, UserSwitchingOnlyWithoutForceDisable) {
  TempDir dir;
  Built built = build(dir, webapps(), "sysvinit", false);
  std::string script = built.file("webapp", "etc/rc.d/init.d/webapp");
  // The keeper keeps nixproc's privileges; the program runs as its user.
  EXPECT_NE(script.find("'--user' 'webapp' '--pid-file' '" + dir.path() +
                        "/var/tmp/webapp.pid' '--notify-fd' '3' '--' '/opt/bin/webapp' '-D'"),
            std::string::npos)
      << script;
  EXPECT_EQ(built.output.manifest.find("webapp")->info["user"], "webapp");
}

TEST(SysvinitRender, ForegroundProcessesAreDaemonisedWithAPidFile) {
  TempDir dir;
  json document = {{"fg",
                    {{"pkg",
                      {{"instanceName", "fg"},
                       {"foregroundProcess", "/opt/fg"},
                       {"args", {"a"}},
                       {"directory", "/srv"},
                       {"umask", "027"}}}}}};
  Built built = build(dir, document, "sysvinit");
  std::string script = built.file("fg", "etc/rc.d/init.d/fg");
  std::string expected = "'--record' '" + dir.path() +
                         "/var/run/nixproc-instances/fg' '--chdir' '/srv' '--umask' '027' "
                         "'--main-pid-file' '" +
                         dir.path() + "/var/run/fg.pid' '--notify-fd' '3' '--' '/opt/fg' 'a'";
  EXPECT_NE(script.find(expected), std::string::npos) << script;
  EXPECT_NE(script.find("'--output' '" + dir.path() + "/var/log/nixproc-fg.log'"),
            std::string::npos);
  EXPECT_NE(script.find("umask 027\n"), std::string::npos);
}

TEST(SysvinitRender, OverridesMergeIntoTheGeneratedArguments) {
  TempDir dir;
  json document = webapps(false);
  document["webapp"]["pkg"]["overrides"] = {{"sysvinit",
                                             {{"runlevels", {2}},
                                              {"removeActivities", {"reload"}},
                                              {"activities", {{"hello", "echo hello"}}}}}};
  Built built = build(dir, document, "sysvinit");
  std::string profile = built.output.profile_path;
  EXPECT_TRUE(fs::lexists(profile + "/etc/rc.d/rc2.d/S00webapp"));
  EXPECT_FALSE(fs::lexists(profile + "/etc/rc.d/rc3.d/S00webapp"));
  std::string script = built.file("webapp", "etc/rc.d/init.d/webapp");
  EXPECT_NE(script.find("{start|stop|restart|status|hello}"), std::string::npos) << script;
  RunResult hello = run({profile + "/etc/rc.d/init.d/webapp", "hello"}, capturing());
  EXPECT_EQ(hello.out, "hello\n");
  RunResult usage = run({profile + "/etc/rc.d/init.d/webapp", "bogus"}, capturing());
  EXPECT_EQ(usage.exit_code, 1);

  document["webapp"]["pkg"]["overrides"] = {{"sysvinit", {{"runlevelz", {2}}}}};
  EXPECT_ERROR_CONTAINS(build(dir, document, "sysvinit"),
                        "instance webapp (sysvinit): field runlevelz: unknown field");
  document["webapp"]["pkg"]["overrides"] = {{"sysvinit", {{"runlevels", {9}}}}};
  EXPECT_ERROR_CONTAINS(build(dir, document, "sysvinit"),
                        "field runlevels[0]: expected a value from 0 to 6");
  document["webapp"]["pkg"]["overrides"] = {{"sysvinit", {{"reloadSignal", "-HUP; rm"}}}};
  EXPECT_ERROR_CONTAINS(build(dir, document, "sysvinit"),
                        "field reloadSignal: expected a signal such as \"-HUP\"");
  document["webapp"]["pkg"]["overrides"] = {{"sysvinit", {{"activities", {{"a b", "true"}}}}}};
  EXPECT_ERROR_CONTAINS(build(dir, document, "sysvinit"), "invalid activity name \"a b\"");
  document["webapp"]["pkg"]["overrides"] = {{"sysvinit", {{"reloadSignal", "USR1"}}}};
  EXPECT_NO_THROW(build(dir, document, "sysvinit"));
}

TEST(SysvinitRender, NativeScriptsAndWrongTypes) {
  TempDir dir;
  json document = {{"s",
                    {{"pkg",
                      {{"type", "sysvinit-script"},
                       {"name", "s"},
                       {"process", "/bin/s"},
                       {"runlevels", {3}}}}}}};
  Built built = build(dir, document, "sysvinit");
  EXPECT_TRUE(fs::lexists(built.output.profile_path + "/etc/rc.d/rc3.d/S00s"));
  EXPECT_ERROR_CONTAINS(build(dir, document, "disnix"),
                        "a sysvinit-script config cannot be deployed with process manager disnix");
}

// Every hostile string reaches the process's argv and environment unchanged.
void expect_round_trip(const TempDir& dir, const std::string& pm, const std::string& script_path,
                       bool foreground) {
  json args = json::array();
  json env = json::object();
  for (size_t i = 0; i < testing::hostile_strings().size(); ++i) {
    args.push_back(testing::hostile_strings()[i]);
    env["V" + std::to_string(i)] = testing::hostile_strings()[i];
  }
  json pkg = {{"instanceName", "h"},
              {"args", args},
              {"environment", env},
              {"description", "desc with 'quotes' and\nnewline $x"}};
  std::string program = dir / "runtime/bin/recorder";
  pkg[foreground ? "foregroundProcess" : "daemon"] = program;
  Built built = build(dir, {{"h", {{"pkg", pkg}}}}, pm);
  std::string script = built.output.profile_path + "/" + script_path;
  std::string record = dir / "record";
  SpawnOptions options = capturing();
  options.environment = {"RECORD=" + record};
  std::vector<std::string> argv = {script};
  if (pm == "sysvinit") argv.push_back("start");
  RunResult result = run(argv, options);
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
}

TEST(HostileStrings, SysvinitDaemonMode) {
  TempDir dir;
  expect_round_trip(dir, "sysvinit", "etc/rc.d/init.d/h", false);
}

TEST(HostileStrings, SysvinitForegroundMode) {
  TempDir dir;
  expect_round_trip(dir, "sysvinit", "etc/rc.d/init.d/h", true);
}

TEST(HostileStrings, DisnixWrapper) {
  TempDir dir;
  expect_round_trip(dir, "disnix", "libexec/nixproc/h-process-wrapper", true);
  TempDir other;
  expect_round_trip(other, "disnix", "libexec/nixproc/h-process-wrapper", false);
}

TEST(DisnixRender, ConfigNamesTheWrapperAndPidFile) {
  TempDir dir;
  Built built = build(dir, webapps(), "disnix");
  const auto* webapp = built.output.manifest.find("webapp");
  std::string config = built.file("webapp", "etc/dysnomia/process/webapp");
  EXPECT_EQ(config, "process=" + webapp->files.at("libexec/nixproc/webapp-process-wrapper") +
                        "\npidFile=" + dir.path() + "/var/tmp/webapp.pid\n");
  std::string wrapper = built.file("webapp", "libexec/nixproc/webapp-process-wrapper");
  EXPECT_NE(wrapper.find("'--pid-file' '" + dir.path() +
                         "/var/tmp/webapp.pid' '--notify-fd' '3' '--' '/opt/bin/webapp' '-D'\n"),
            std::string::npos)
      << wrapper;
  EXPECT_EQ(wrapper.rfind("#! /bin/sh -e\nexport PORT='5000'\nexec '" + dir.path() +
                              "/runtime/bin/nixproc-daemon' ",
                          0),
            0u)
      << wrapper;
  // nginx can do both; the built-in manager prefers daemons.
  EXPECT_NE(built.file("nginx", "libexec/nixproc/nginx-process-wrapper")
                .find("'--pid-file' '" + dir.path() +
                      "/var/run/nginx.pid' '--notify-fd' '3' '--' '/usr/sbin/nginx'\n"),
            std::string::npos);
  EXPECT_NE(built.file("nginx", "etc/dysnomia/process/nginx")
                .find("pidFile=" + dir.path() + "/var/run/nginx.pid\n"),
            std::string::npos);
}

TEST(Build, UnchangedInstancesKeepTheirHash) {
  TempDir dir;
  json document = webapps();
  Built first = build(dir, document, "sysvinit");
  document["webapp"]["pkg"]["environment"]["PORT"] = 5001;
  Built second = build(dir, document, "sysvinit");
  EXPECT_NE(first.output.manifest.find("webapp")->hash,
            second.output.manifest.find("webapp")->hash);
  EXPECT_EQ(first.output.manifest.find("nginx")->hash, second.output.manifest.find("nginx")->hash);
  EXPECT_NE(first.output.profile_path, second.output.profile_path);
  Built again = build(dir, document, "sysvinit");
  EXPECT_EQ(again.output.profile_path, second.output.profile_path);
}

TEST(SupervisordRender, ProgramSectionsFollowDependencies) {
  TempDir dir;
  Built built = build(dir, webapps(), "supervisord", false);
  std::string webapp = built.file("webapp", "conf.d/webapp.conf");
  std::string nginx = built.file("nginx", "conf.d/nginx.conf");
  EXPECT_NE(webapp.find("[program:webapp]\n"), std::string::npos);
  EXPECT_NE(webapp.find("priority=1\n"), std::string::npos);
  EXPECT_NE(nginx.find("priority=2\n"), std::string::npos) << "nginx depends on webapp";
  for (const char* line : {"autorestart=true\n", "stopasgroup=true\n", "redirect_stderr=true\n"})
    EXPECT_NE(webapp.find(line), std::string::npos) << line;
  EXPECT_NE(webapp.find("stdout_logfile=" + dir.path() + "/var/log/webapp.log"), std::string::npos)
      << webapp;
  // `process` is both forms: the foreground one (without -D) runs, as its user.
  // Every process runs under its keeper, which keeps supervisord's
  // privileges and runs the program as its user.
  std::string run = built.file("webapp", "libexec/nixproc/webapp-run");
  EXPECT_NE(run.find("exec '" + dir.path() + "/runtime/bin/nixproc-foreground-proxy' '--record' '" +
                     dir.path() + "/var/run/nixproc-instances/webapp' '--user' 'webapp' '--' " +
                     "'/opt/bin/webapp'\n"),
            std::string::npos)
      << run;
  EXPECT_EQ(run.find("chainload"), std::string::npos) << run;
  std::string nginx_run = built.file("nginx", "libexec/nixproc/nginx-run");
  EXPECT_NE(nginx_run.find("'--' '/usr/sbin/nginx' '-g' 'daemon off;'\n"), std::string::npos)
      << nginx_run;
  EXPECT_TRUE(fs::exists(built.output.profile_path + "/supervisord.conf"));
}

TEST(SupervisordRender, DaemonOnlyProcessesRunThroughTheProxy) {
  TempDir dir;
  json model = {{"d",
                 {{"pkg",
                   {{"instanceName", "d"},
                    {"daemon", "/opt/bin/d"},
                    {"daemonArgs", {"--fork"}},
                    {"pidFile", "/tmp/d.pid"}}}}}};
  Built built = build(dir, model, "supervisord");
  std::string run = built.file("d", "libexec/nixproc/d-run");
  EXPECT_NE(run.find("nixproc-instances/d' '--pid-file' '/tmp/d.pid' '--' '/opt/bin/d' "
                     "'--fork'\n"),
            std::string::npos)
      << run;
}

TEST(SupervisordRender, ProgramKeysAreValidatedAndEscaped) {
  TempDir dir;
  json model = webapps();
  model["webapp"]["pkg"]["overrides"] = {
      {"supervisord", {{"program", {{"stopsignal", "INT"}, {"environment", "A=\"100%\""}}}}}};
  Built built = build(dir, model, "supervisord");
  std::string conf = built.file("webapp", "conf.d/webapp.conf");
  EXPECT_NE(conf.find("stopsignal=INT\n"), std::string::npos) << conf;
  EXPECT_NE(conf.find("environment=A=\"100%%\"\n"), std::string::npos) << conf;

  auto expect_refused = [&](const json& program, const std::string& message) {
    TempDir other;
    json bad = webapps();
    bad["webapp"]["pkg"]["overrides"] = {{"supervisord", {{"program", program}}}};
    try {
      build(other, bad, "supervisord");
      ADD_FAILURE() << "accepted " << program.dump();
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(message), std::string::npos) << error.what();
    }
  };
  expect_refused({{"command", "sh"}}, "nixproc sets command itself");
  expect_refused({{"Bad Key", 1}}, "not a supervisord program key");
  expect_refused({{"stopsignal", "INT\n[program:evil]"}}, "program.stopsignal");
  expect_refused({{"stopsignal", "INT ; comment"}}, "program.stopsignal");
}

TEST(SupervisordRender, NativeProgramConfigsAreTakenAsWritten) {
  TempDir dir;
  json model = {{"x",
                 {{"pkg",
                   {{"type", "supervisord-program"},
                    {"name", "x"},
                    {"process", "/bin/sleep"},
                    {"args", {"1000"}},
                    {"program", {{"startsecs", 0}}}}}}}};
  Built built = build(dir, model, "supervisord");
  EXPECT_NE(built.file("x", "conf.d/x.conf").find("startsecs=0\n"), std::string::npos);
  EXPECT_NE(built.file("x", "libexec/nixproc/x-run").find("'--' '/bin/sleep' '1000'\n"),
            std::string::npos);
  TempDir other;
  try {
    build(other, model, "sysvinit");
    ADD_FAILURE() << "a supervisord program built for sysvinit";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("cannot be deployed with process manager sysvinit"),
              std::string::npos)
        << error.what();
  }
}

TEST(S6Render, ServiceDirectoriesWithLogAndReadiness) {
  TempDir dir;
  json model = webapps();
  model["d"] = {{"pkg",
                 {{"instanceName", "d"},
                  {"daemon", "/opt/bin/d"},
                  {"pidFile", "/tmp/d.pid"},
                  {"dependencies", {"webapp"}}}}};
  Built built = build(dir, model, "s6", false);
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
  model::LoadedModel loaded;
  loaded.evaluated = {{"h", {{"pkg", {{"instanceName", "h"}, {"foregroundProcess", "/bin/h"}}}}}};
  loaded.model = testing::parse(loaded.evaluated);
  Context context = testing::test_context(dir.path());
  context.process_manager = "s6";
  context.runtime = dir / "runtime";
  context.dirs.log_dir = dir / "log it's \"$HOME\" `x` 100% a\\b\nc";
  write_recording_runtime(context.runtime);
  Store store(dir / "store");
  fs::make_directories(store.dir());
  Built built{build_profile(loaded, find_backend("s6"), context, store)};
  std::string log_run = built.output.profile_path + "/etc/s6/sv/h/log/run";
  fs::make_directories(dir / "fake");
  fs::write_file_atomic(dir / "fake/s6-log", "#!/bin/sh\nprintf '%s\\0' \"$@\" > \"$RECORD\"\n",
                        0755);
  SpawnOptions options = capturing();
  options.environment = {"RECORD=" + (dir / "record"), "PATH=" + (dir / "fake") + ":/usr/bin:/bin"};
  RunResult result = run({log_run}, options);
  ASSERT_TRUE(result.ok()) << result.err << result.out;
  EXPECT_TRUE(fs::is_directory(context.dirs.log_dir + "/h")) << "log/run creates it";
  EXPECT_EQ(split_nul(fs::read_file(dir / "record")),
            (std::vector<std::string>{"-b", "n20", "s1000000", "T", context.dirs.log_dir + "/h"}));
  EXPECT_TRUE(built.output.manifest.find("h")->info.contains("notificationFd"))
      << "its keeper reports readiness";
}

TEST(HostileStrings, S6RunScript) {
  TempDir dir;
  expect_round_trip(dir, "s6", "etc/s6/sv/h/run", true);
  TempDir other;
  expect_round_trip(other, "s6", "etc/s6/sv/h/run", false);
}

TEST(HostileStrings, SupervisordRunScript) {
  TempDir dir;
  expect_round_trip(dir, "supervisord", "libexec/nixproc/h-run", true);
  TempDir other;
  expect_round_trip(other, "supervisord", "libexec/nixproc/h-run", false);
}

}  // namespace
}  // namespace nixproc
