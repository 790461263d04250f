// The sysvinit backend's rendering through the real build step: init.d
// scripts with their LSB headers, rc links and sequence numbers, overrides,
// native scripts and hostile strings through a recording runtime.
#include "build_support.h"
#include "test_support.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

using namespace testing;

bool shell_syntax_ok(const std::string& file) {
  return run({"bash", "-n", file}).ok();
}

TEST(SysvinitRender, ScriptsLinksAndSequenceNumbers) {
  TempDir dir;
  Built built = build_with(dir, webapps(true), "sysvinit");
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
  Built built = build_with(dir, webapps(true), "sysvinit", false);
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
  Built built = build_with(dir, document, "sysvinit");
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
  Built built = build_with(dir, document, "sysvinit");
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
  EXPECT_ERROR_CONTAINS(build_with(dir, document, "sysvinit"),
                        "instance webapp (sysvinit): field runlevelz: unknown field");
  document["webapp"]["pkg"]["overrides"] = {{"sysvinit", {{"runlevels", {9}}}}};
  EXPECT_ERROR_CONTAINS(build_with(dir, document, "sysvinit"),
                        "field runlevels[0]: expected a value from 0 to 6");
  document["webapp"]["pkg"]["overrides"] = {{"sysvinit", {{"reloadSignal", "-HUP; rm"}}}};
  EXPECT_ERROR_CONTAINS(build_with(dir, document, "sysvinit"),
                        "field reloadSignal: expected a signal such as \"-HUP\"");
  document["webapp"]["pkg"]["overrides"] = {{"sysvinit", {{"activities", {{"a b", "true"}}}}}};
  EXPECT_ERROR_CONTAINS(build_with(dir, document, "sysvinit"), "invalid activity name \"a b\"");
  document["webapp"]["pkg"]["overrides"] = {{"sysvinit", {{"reloadSignal", "USR1"}}}};
  EXPECT_NO_THROW(build_with(dir, document, "sysvinit"));
}

TEST(SysvinitRender, NativeScriptsAndWrongTypes) {
  TempDir dir;
  json document = {{"s",
                    {{"pkg",
                      {{"type", "sysvinit-script"},
                       {"name", "s"},
                       {"process", "/bin/s"},
                       {"runlevels", {3}}}}}}};
  Built built = build_with(dir, document, "sysvinit");
  EXPECT_TRUE(fs::lexists(built.output.profile_path + "/etc/rc.d/rc3.d/S00s"));
  EXPECT_ERROR_CONTAINS(build_with(dir, document, "disnix"),
                        "a sysvinit-script config cannot be deployed with process manager disnix");
}

TEST(HostileStrings, SysvinitDaemonMode) {
  TempDir dir;
  expect_hostile_round_trip(dir, "sysvinit", "etc/rc.d/init.d/h", false);
}

TEST(HostileStrings, SysvinitForegroundMode) {
  TempDir dir;
  expect_hostile_round_trip(dir, "sysvinit", "etc/rc.d/init.d/h", true);
}

}  // namespace
}  // namespace nixproc
