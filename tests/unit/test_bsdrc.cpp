// The bsdrc backend: rc.d scripts rendered through the real build step, run
// against a stand-in rc.subr (tests/integration/bsdrc/rc.subr) that builds
// and evaluates the start command as FreeBSD's does, so every quoting level
// is checked by a real shell; rcorder headers, errors, and enable-at-boot.
#include <sys/stat.h>

#include <cstdlib>

#include "backends/backend.h"
#include "backends/bsdrc/boot.h"
#include "backends/bsdrc/rc_quoting.h"
#include "build_support.h"
#include "deploy/build.h"
#include "test_support.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

using namespace testing;

struct Built : testing::Built {
  std::string script(const std::string& key) const {
    return instance(key).files.at("etc/rc.d/" + instance(key).name);
  }
  std::string text(const std::string& key) const { return fs::read_file(script(key)); }
};

Built build(const TempDir& dir, const json& document, bool force = true) {
  testing::BuildOptions options{.force_disable_user_change = force};
  options.prepare = [&](Context&) {
    // The stand-in rc.subr, told where to log and what daemon(8) is.
    std::string rc_subr =
        "rc_test_log=" + dir / "rc.log" + "\nrc_test_daemon=" + recorder(dir) + "\n" +
        fs::read_file(std::string(NIXPROC_SOURCE_DATADIR) + "/tests/integration/bsdrc/rc.subr");
    fs::write_file_atomic(dir / "rc.subr", rc_subr, 0644);
    ::setenv("NIXPROC_BSDRC_RC_SUBR", (dir / "rc.subr").c_str(), 1);
  };
  Built built{testing::build_with(dir, document, "bsdrc", options)};
  ::unsetenv("NIXPROC_BSDRC_RC_SUBR");
  return built;
}

// Runs `script verb` as a switch would (clean environment) plus $RECORD.
RunResult run_script(const TempDir& dir, const std::string& script, const std::string& verb) {
  SpawnOptions options = capturing();
  options.environment = {"PATH=/usr/local/bin:/usr/bin:/bin", "RECORD=" + dir / "record"};
  options.replace_environment = true;
  return run({script, verb}, options);
}

std::vector<std::string> recorded_argv(const TempDir& dir) {
  return split_nul(fs::read_file(dir / "record"));
}

bool recorded_env_has(const TempDir& dir, const std::string& entry) {
  auto entries = split_nul(fs::read_file(dir / "record.env"));
  return std::find(entries.begin(), entries.end(), entry) != entries.end();
}

// webapp only daemonises (as its user), nginx only runs in the foreground.
json webapps(const std::string& webapp_program = "/opt/bin/webapp") {
  json model = testing::webapps(true);
  model["webapp"]["pkg"]["process"] = webapp_program;
  testing::only_form(model["webapp"]["pkg"], "daemon");
  testing::only_form(model["nginx"]["pkg"], "foregroundProcess");
  return model;
}

TEST(BsdrcRender, ScriptHeadersAndRcVariables) {
  TempDir dir;
  Built built = build(dir, webapps());
  std::string webapp = built.text("webapp");
  EXPECT_EQ(webapp.rfind("#!/bin/sh\n#\n# PROVIDE: webapp\n\n. '" + dir / "rc.subr" + "'\n", 0), 0u)
      << webapp;
  EXPECT_NE(webapp.find("\nname=webapp\nrcvar=webapp_enable\n\nload_rc_config $name\n"),
            std::string::npos);
  EXPECT_NE(webapp.find("\ncommand='/opt/bin/webapp'\n"), std::string::npos);
  EXPECT_NE(webapp.find("\ncommand_args=''\\''-D'\\'''\n"), std::string::npos) << webapp;
  // The declared user decides the PID file dir even when user changes are disabled.
  EXPECT_NE(webapp.find("\npidfile='" + dir / "var/tmp/webapp.pid" + "'\n"), std::string::npos);
  EXPECT_EQ(webapp.find("\nwebapp_user="), std::string::npos);
  EXPECT_NE(webapp.find("\nwebapp_env_file='"), std::string::npos);
  EXPECT_NE(webapp.find("\nrun_rc_command \"$1\"\n"), std::string::npos);

  std::string nginx = built.text("nginx");
  EXPECT_NE(nginx.find("# PROVIDE: nginx\n# REQUIRE: webapp\n"), std::string::npos) << nginx;
  EXPECT_NE(nginx.find("\ncommand='/usr/sbin/daemon'\nprocname='/usr/sbin/nginx'\n"),
            std::string::npos);
  // daemon(8) writes the automatic PID file rc.subr checks (the original's -p
  // took only an explicit pidFile).
  std::string pid_file = dir / "var/run/nginx.pid";
  EXPECT_NE(nginx.find("\npidfile='" + pid_file + "'\n"), std::string::npos);
  EXPECT_NE(nginx.find("'\\''-p'\\'' '\\''" + pid_file + "'\\'' '\\''-o'\\'' '\\''" +
                       dir / "var/log/nixproc-nginx.log" + "'\\'' '\\''/usr/sbin/nginx'\\''"),
            std::string::npos)
      << nginx;
  for (const char* key : {"webapp", "nginx"})
    EXPECT_TRUE(run({"sh", "-n", built.script(key)}).ok()) << key;
  EXPECT_EQ(built.output.manifest.find("nginx")->info["pidFile"], pid_file);
  EXPECT_EQ(built.output.manifest.find("nginx")->info["program"], "/usr/sbin/nginx");
}

// rc.subr makes variables of $name: a '-' in an instance name becomes '_'
// there (the original's test models use such names); the script's file and
// what it provides keep the name.
TEST(BsdrcRender, DashInNameBecomesUnderscoreInRcVariables) {
  TempDir dir;
  json model = {{"web-app",
                 {{"pkg",
                   {{"instanceName", "web-app"},
                    {"daemon", recorder(dir)},
                    {"directory", "/tmp"},
                    {"nice", 3},
                    {"initialize", "true"}}}}}};
  Built built = build(dir, model);
  std::string text = built.text("web-app");
  EXPECT_NE(text.find("# PROVIDE: web-app\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nname=web_app\nrcvar=web_app_enable\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nweb_app_nice='3'\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nweb_app_chdir="), std::string::npos) << text;
  EXPECT_NE(text.find("\nstart_precmd=web_app_prestart\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("web-app_"), std::string::npos) << text;
  EXPECT_EQ(built.output.manifest.find("web-app")->info["rcvar"], "web_app_enable");
  EXPECT_TRUE(run({"sh", "-n", built.script("web-app")}).ok());
  RunResult started = run_script(dir, built.script("web-app"), "onestart");
  EXPECT_TRUE(started.ok()) << started.err;
  EXPECT_EQ(fs::read_file(dir / "record.cwd"), "/tmp\n");
}

TEST(BsdrcRender, UserOnlyWithoutForceDisable) {
  TempDir dir;
  Built built = build(dir, webapps(), false);
  EXPECT_NE(built.text("webapp").find("\nwebapp_user='webapp'\n"), std::string::npos);
  EXPECT_EQ(built.output.manifest.find("webapp")->info["user"], "webapp");
}

// Each argument must reach the process exactly, whether rc.subr evaluates the
// command once (no user), inside sh -c (nice) or inside su ... sh -c (user).
TEST(BsdrcRender, HostileArgumentsSurviveEveryEvaluation) {
  for (bool user : {false, true})
    for (bool nice : {false, true})
      for (bool foreground : {false, true}) {
        TempDir dir;
        std::vector<std::string> args = testing::hostile_strings();
        json pkg = {{"instanceName", "hostile"}, {"pidFile", dir / "var/run/hostile.pid"}};
        pkg[foreground ? "foregroundProcess" : "daemon"] = recorder(dir);
        pkg[foreground ? "foregroundProcessArgs" : "daemonArgs"] = args;
        // A user nobody is: the stand-in su runs the command without switching.
        if (user) pkg["user"] = "nixproc-nobody";
        if (nice) pkg["nice"] = 5;
        Built built = build(dir, {{"hostile", {{"pkg", pkg}}}}, !user);
        std::string what = std::string(user ? "user " : "") + (nice ? "nice " : "") +
                           (foreground ? "foreground" : "daemon");
        RunResult result = run_script(dir, built.script("hostile"), "onestart");
        ASSERT_TRUE(result.ok()) << what << ": " << result.out << result.err;
        std::vector<std::string> expected = {recorder(dir)};
        if (foreground)
          expected.insert(expected.end(), {"-p", dir / "var/run/hostile.pid", "-o",
                                           dir / (user ? "var/tmp/nixproc-hostile.log"
                                                       : "var/log/nixproc-hostile.log"),
                                           recorder(dir)});
        expected.insert(expected.end(), args.begin(), args.end());
        EXPECT_EQ(recorded_argv(dir), expected) << what;
        std::string log = fs::read_file(dir / "rc.log");
        EXPECT_EQ(log.find("su [nixproc-nobody]") != std::string::npos, user) << what << log;
      }
}

TEST(BsdrcRender, HostileEnvironmentDirectoryAndInitialize) {
  TempDir dir;
  json environment = json::object();
  std::string initialize;
  for (size_t i = 0; i < testing::hostile_strings().size(); ++i) {
    environment["VALUE" + std::to_string(i)] = testing::hostile_strings()[i];
    initialize += "printf '%s\\n' " + std::string("\"$VALUE") + std::to_string(i) + "\" >> " +
                  dir / "initialized" + "\n";
  }
  std::string directory = dir / "it's a \"dir\" with $HOME, `x` and \\";
  fs::make_directories(directory);
  json pkg = {{"instanceName", "hostile"},
              {"foregroundProcess", recorder(dir)},
              {"environment", environment},
              {"directory", directory},
              {"umask", "027"},
              {"path", {"/opt/tools"}},
              {"initialize", initialize}};
  Built built = build(dir, {{"hostile", {{"pkg", pkg}}}});
  RunResult result = run_script(dir, built.script("hostile"), "onestart");
  ASSERT_TRUE(result.ok()) << result.out << result.err;
  std::string expected_initialized;
  for (size_t i = 0; i < testing::hostile_strings().size(); ++i) {
    EXPECT_TRUE(
        recorded_env_has(dir, "VALUE" + std::to_string(i) + "=" + testing::hostile_strings()[i]))
        << testing::hostile_strings()[i];
    expected_initialized += testing::hostile_strings()[i] + "\n";
  }
  // initialize (start_precmd) sees the environment file too.
  EXPECT_EQ(fs::read_file(dir / "initialized"), expected_initialized);
  EXPECT_EQ(fs::read_file(dir / "record.cwd"), directory + "\n");
  auto env = split_nul(fs::read_file(dir / "record.env"));
  auto path = std::find_if(env.begin(), env.end(),
                           [](const std::string& entry) { return entry.rfind("PATH=", 0) == 0; });
  ASSERT_NE(path, env.end());
  EXPECT_EQ(path->rfind("PATH=/opt/tools/bin:", 0), 0u) << *path;
  EXPECT_NE(built.text("hostile").find("\numask 027\n"), std::string::npos);
}

TEST(BsdrcRender, FailingInitializeStopsTheStart) {
  TempDir dir;
  json pkg = {{"instanceName", "broken"},
              {"foregroundProcess", recorder(dir)},
              {"initialize", "false\ntouch " + dir / "after-false"}};
  Built built = build(dir, {{"broken", {{"pkg", pkg}}}});
  EXPECT_FALSE(run_script(dir, built.script("broken"), "onestart").ok());
  EXPECT_FALSE(fs::exists(dir / "after-false"));
  EXPECT_FALSE(fs::exists(dir / "record"));
}

TEST(BsdrcRender, NativeScriptCommandsDefaultsAndOverrides) {
  TempDir dir;
  json pkg = {{"type", "bsdrc-script"},
              {"name", "tool"},
              {"rcSubr", dir / "rc.subr"},
              {"commands",
               {{"start", {{"implementation", "echo started > " + dir / "started"}}},
                {"stop", {{"implementation", "true"}}},
                {"greet", {{"pre", "echo pre"}, {"implementation", "echo \"hi $tool_who\""}}}}},
              {"rcvarsDefaults", {{"who", "it's $me"}}},
              {"requires", {"NETWORKING"}},
              {"keywords", {"shutdown"}},
              {"stopSignal", "INT"}};
  Built built = build(dir, {{"tool", {{"pkg", pkg}}}});
  std::string text = built.text("tool");
  EXPECT_NE(text.find("# PROVIDE: tool\n# REQUIRE: NETWORKING\n# KEYWORD: shutdown\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nextra_commands='greet'\n"), std::string::npos);
  EXPECT_NE(text.find("\nsig_stop=INT\n"), std::string::npos);
  EXPECT_EQ(text.find("command="), std::string::npos);
  EXPECT_TRUE(run({"sh", "-n", built.script("tool")}).ok());
  RunResult greet = run_script(dir, built.script("tool"), "greet");
  EXPECT_EQ(greet.out, "pre\nhi it's $me\n");
  EXPECT_TRUE(run_script(dir, built.script("tool"), "onestart").ok());
  EXPECT_EQ(fs::read_file(dir / "started"), "started\n");
}

TEST(BsdrcRender, Errors) {
  TempDir dir;
  EXPECT_ERROR_CONTAINS(
      build(dir, {{"web.app", {{"pkg", {{"name", "web.app"}, {"foregroundProcess", "/bin/x"}}}}}}),
      "instance web.app (bsdrc): field name");
  EXPECT_ERROR_CONTAINS(
      build(dir, {{"1web", {{"pkg", {{"name", "1web"}, {"foregroundProcess", "/bin/x"}}}}}}),
      "instance 1web (bsdrc): field name");
  EXPECT_ERROR_CONTAINS(
      build(dir, {{"x", {{"pkg", {{"name", "x"}, {"foregroundProcess", "/my bin/x"}}}}}}),
      "instance x (bsdrc): field command");
  EXPECT_ERROR_CONTAINS(
      build(dir,
            {{"x",
              {{"pkg",
                {{"name", "x"}, {"foregroundProcess", "/bin/x"}, {"pidFile", "/run/my x.pid"}}}}}}),
      "instance x (bsdrc): the PID file \"/run/my x.pid\"");
  EXPECT_ERROR_CONTAINS(build(dir, {{"x", {{"pkg", {{"type", "bsdrc-script"}, {"name", "x"}}}}}}),
                        "instance x (bsdrc): field command: missing");
  EXPECT_ERROR_CONTAINS(
      build(dir, {{"x",
                   {{"pkg",
                     {{"name", "x"},
                      {"foregroundProcess", "/bin/x"},
                      {"overrides", {{"bsdrc", {{"stopSignal", "TERM; rm"}}}}}}}}}}),
      "instance x (bsdrc): field stopSignal");
}

TEST(BsdrcQuoting, CommandArgs) {
  using bsdrc::command_args;
  EXPECT_EQ(command_args({"a b", "it's"}, {}), "'a b' 'it'\\''s'");
  EXPECT_EQ(command_args({"$x"}, {false, true}), "'\\$x'");
  EXPECT_EQ(command_args({"\"$x\""}, {true, false}), "'\\''\\\"\\$x\\\"'\\''");
  EXPECT_TRUE(bsdrc::is_plain_word("/var/run/x.pid"));
  EXPECT_FALSE(bsdrc::is_plain_word("/var/run/x y.pid"));
  EXPECT_FALSE(bsdrc::is_plain_word("*"));
}

TEST(BsdrcBoot, EnableAndDisableKeepOtherLines) {
  TempDir dir;
  bsdrc::BootPlaces places{dir / "rc.d", dir / "rc.conf"};
  fs::write_file_atomic(places.rc_conf, "sshd_enable=\"YES\"\n", 0600);
  bsdrc::enable_at_boot(places, "webapp", "/store/x-webapp", "webapp_enable");
  bsdrc::enable_at_boot(places, "webapp", "/store/x-webapp", "webapp_enable");
  EXPECT_EQ(fs::read_link(dir / "rc.d/webapp"), "/store/x-webapp");
  EXPECT_EQ(fs::read_file(places.rc_conf), "sshd_enable=\"YES\"\nwebapp_enable=\"YES\"\n");
  struct stat info {};
  ASSERT_EQ(::stat(places.rc_conf.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  // Another script's link is left alone.
  EXPECT_FALSE(bsdrc::disable_at_boot(places, "webapp", "/store/y-webapp", "webapp_enable"));
  EXPECT_TRUE(fs::lexists(dir / "rc.d/webapp"));
  EXPECT_TRUE(bsdrc::disable_at_boot(places, "webapp", "/store/x-webapp", "webapp_enable"));
  EXPECT_FALSE(fs::lexists(dir / "rc.d/webapp"));
  EXPECT_EQ(fs::read_file(places.rc_conf), "sshd_enable=\"YES\"\n");
}

}  // namespace
}  // namespace nixproc
