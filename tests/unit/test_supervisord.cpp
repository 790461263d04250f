// The supervisord backend's rendering through the real build step: program
// sections ordered by dependencies, run scripts under the keeper, program
// keys validated and escaped, native program configs, hostile strings.
#include "build_support.h"
#include "test_support.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

using namespace testing;

TEST(SupervisordRender, ProgramSectionsFollowDependencies) {
  TempDir dir;
  Built built = build_with(dir, webapps(true), "supervisord", false);
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
  Built built = build_with(dir, model, "supervisord");
  std::string run = built.file("d", "libexec/nixproc/d-run");
  EXPECT_NE(run.find("nixproc-instances/d' '--pid-file' '/tmp/d.pid' '--' '/opt/bin/d' "
                     "'--fork'\n"),
            std::string::npos)
      << run;
}

TEST(SupervisordRender, ProgramKeysAreValidatedAndEscaped) {
  TempDir dir;
  json model = webapps(true);
  model["webapp"]["pkg"]["overrides"] = {
      {"supervisord", {{"program", {{"stopsignal", "INT"}, {"environment", "A=\"100%\""}}}}}};
  Built built = build_with(dir, model, "supervisord");
  std::string conf = built.file("webapp", "conf.d/webapp.conf");
  EXPECT_NE(conf.find("stopsignal=INT\n"), std::string::npos) << conf;
  EXPECT_NE(conf.find("environment=A=\"100%%\"\n"), std::string::npos) << conf;

  auto expect_refused = [&](const json& program, const std::string& message) {
    TempDir other;
    json bad = webapps(true);
    bad["webapp"]["pkg"]["overrides"] = {{"supervisord", {{"program", program}}}};
    try {
      build_with(other, bad, "supervisord");
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
  Built built = build_with(dir, model, "supervisord");
  EXPECT_NE(built.file("x", "conf.d/x.conf").find("startsecs=0\n"), std::string::npos);
  EXPECT_NE(built.file("x", "libexec/nixproc/x-run").find("'--' '/bin/sleep' '1000'\n"),
            std::string::npos);
  TempDir other;
  try {
    build_with(other, model, "sysvinit");
    ADD_FAILURE() << "a supervisord program built for sysvinit";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("cannot be deployed with process manager sysvinit"),
              std::string::npos)
        << error.what();
  }
}

TEST(HostileStrings, SupervisordRunScript) {
  expect_hostile_round_trips("supervisord", "libexec/nixproc/h-run");
}

}  // namespace
}  // namespace nixproc
