// The cygrunsrv backend: parameter files rendered through the real build
// step, their tokens read back as the switch passes them to cygrunsrv
// --install, run scripts for what cygrunsrv cannot do, and the limits.
#include <algorithm>

#include "backends/backend.h"
#include "backends/cygrunsrv/params.h"
#include "build_support.h"
#include "deploy/build.h"
#include "test_support.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

using namespace testing;

struct Built : testing::Built {
  std::string params_path(const std::string& key) const {
    return instance(key).files.at("nix-process-" + instance(key).name + "-cygrunsrvparams");
  }
  std::string params(const std::string& key) const { return fs::read_file(params_path(key)); }
  std::vector<std::string> tokens(const std::string& key) const {
    return cygrunsrv::parse_params(params(key), params_path(key));
  }
};

Built build(const TempDir& dir, const json& document, bool force = true) {
  return {testing::build_with(dir, document, "cygrunsrv", force)};
}

// cygrunsrv runs processes in the foreground only; webapp has a PATH.
json webapps() {
  json model = testing::webapps(false);
  model["webapp"]["pkg"]["path"] = {"/opt/tools"};
  testing::only_form(model["webapp"]["pkg"], "foregroundProcess");
  testing::only_form(model["nginx"]["pkg"], "foregroundProcess");
  model["nginx"]["pkg"]["foregroundProcessArgs"] = {"-c", "/etc/nginx.conf"};
  return model;
}

TEST(CygrunsrvRender, ParamsFileOneTokenPerLine) {
  TempDir dir;
  Built built = build(dir, webapps());
  EXPECT_EQ(
      built.params("webapp"),
      "--path\n'/opt/bin/webapp'\n--disp\n'nix-process-webapp'\n--env\n'PATH=/opt/tools/bin'\n"
      "--env\n'PORT=5000'\n");
  EXPECT_EQ(built.params("nginx"),
            "--path\n'/usr/sbin/nginx'\n--disp\n'nix-process-nginx'\n--args\n'-c "
            "/etc/nginx.conf'\n--dep\n'nix-process-webapp'\n");
  EXPECT_EQ(
      built.tokens("nginx"),
      (std::vector<std::string>{"--path", "/usr/sbin/nginx", "--disp", "nix-process-nginx",
                                "--args", "-c /etc/nginx.conf", "--dep", "nix-process-webapp"}));
  EXPECT_EQ(built.output.manifest.find("nginx")->info["service"], "nix-process-nginx");
  EXPECT_EQ(built.output.manifest.instances[0].key, "webapp");  // start order
}

TEST(CygrunsrvRender, HostileEnvironmentValuesAreOneTokenEach) {
  TempDir dir;
  json environment = json::object();
  for (size_t i = 0; i < testing::hostile_strings().size(); ++i)
    environment["V" + std::to_string(i)] = testing::hostile_strings()[i];
  Built built = build(
      dir, {{"x",
             {{"pkg",
               {{"name", "x"}, {"foregroundProcess", "/bin/x"}, {"environment", environment}}}}}});
  auto tokens = built.tokens("x");
  for (size_t i = 0; i < testing::hostile_strings().size(); ++i) {
    std::string wanted = "V" + std::to_string(i) + "=" + testing::hostile_strings()[i];
    auto at = std::find(tokens.begin(), tokens.end(), wanted);
    ASSERT_NE(at, tokens.end()) << wanted;
    EXPECT_EQ(*(at - 1), "--env");
  }
}

TEST(CygrunsrvParams, RoundTrip) {
  std::vector<cygrunsrv::Token> tokens = {{"--shutdown", false}};
  std::vector<std::string> expected = {"--shutdown"};
  for (const auto& value : testing::hostile_strings()) {
    tokens.push_back({"--env", false});
    tokens.push_back({value, true});
    expected.insert(expected.end(), {"--env", value});
  }
  EXPECT_EQ(cygrunsrv::parse_params(cygrunsrv::params_text(tokens), "f"), expected);
  EXPECT_ERROR_CONTAINS(cygrunsrv::parse_params("--path\n'/x\n", "the-file"),
                        "the-file: a quoted value is not closed");
}

// Arguments Cygwin would split or glob, initialize, directory, umask and
// nice go through a run script that cygrunsrv runs instead.
TEST(CygrunsrvRender, RunScriptPassesArgumentsExactly) {
  TempDir dir;
  std::string directory = dir / "a dir";
  fs::make_directories(directory);
  json pkg = {{"name", "x"},
              {"foregroundProcess", recorder(dir)},
              {"foregroundProcessArgs", testing::hostile_strings()},
              {"directory", directory},
              {"umask", "022"},
              {"initialize", "echo initialized > " + dir / "init"}};
  Built built = build(dir, {{"x", {{"pkg", pkg}}}});
  auto tokens = built.tokens("x");
  ASSERT_GE(tokens.size(), 2u);
  EXPECT_EQ(tokens[0], "--path");
  EXPECT_EQ(std::find(tokens.begin(), tokens.end(), "--args"), tokens.end());
  std::string script = tokens[1];
  EXPECT_NE(script.find("-x-run"), std::string::npos) << script;
  SpawnOptions options;
  options.environment = {"RECORD=" + dir / "record"};
  ASSERT_TRUE(run({script}, options).ok());
  std::vector<std::string> expected = {recorder(dir)};
  expected.insert(expected.end(), testing::hostile_strings().begin(),
                  testing::hostile_strings().end());
  EXPECT_EQ(split_nul(fs::read_file(dir / "record")), expected);
  EXPECT_EQ(fs::read_file(dir / "record.cwd"), directory + "\n");
  EXPECT_EQ(fs::read_file(dir / "init"), "initialized\n");
}

TEST(CygrunsrvRender, DaemonOnlyRunsThroughTheForegroundProxy) {
  TempDir dir;
  Built built = build(
      dir,
      {{"d",
        {{"pkg", {{"instanceName", "d"}, {"daemon", "/opt/bin/d"}, {"daemonArgs", {"-D"}}}}}}});
  auto tokens = built.tokens("d");
  std::string script = fs::read_file(tokens.at(1));
  EXPECT_NE(script.find("nixproc-foreground-proxy' '--pid-file' '" + dir / "var/run/d.pid" +
                        "' '--' '/opt/bin/d' '-D'"),
            std::string::npos)
      << script;
}

TEST(CygrunsrvRender, NativeOptions) {
  TempDir dir;
  json pkg = {{"type", "cygrunsrv-service"}, {"name", "svc"},
              {"process", "/bin/svc"},       {"displayName", "My service"},
              {"serviceType", "manual"},     {"terminateSignal", "INT"},
              {"terminateOnShutdown", true}, {"stdout", "/var/log/svc.log"}};
  Built built = build(dir, {{"svc", {{"pkg", pkg}}}});
  EXPECT_EQ(
      built.params("svc"),
      "--path\n'/bin/svc'\n--disp\n'My service'\n--type\n'manual'\n--stdout\n'/var/log/svc.log'\n"
      "--termsig\n'INT'\n--shutdown\n");
}

TEST(CygrunsrvRender, AtMostSixteenDependencies) {
  TempDir dir;
  json model = json::object();
  json dependencies = json::array();
  for (int i = 0; i < 17; ++i) {
    std::string name = "dep" + std::to_string(i);
    model[name] = {{"pkg", {{"name", name}, {"foregroundProcess", "/bin/x"}}}};
    dependencies.push_back(name);
  }
  model["front"] = {
      {"pkg",
       {{"name", "front"}, {"foregroundProcess", "/bin/x"}, {"dependencies", dependencies}}}};
  EXPECT_ERROR_CONTAINS(build(dir, model),
                        "instance front (cygrunsrv): field dependencies: 17 dependencies, but "
                        "cygrunsrv accepts at most 16");
  dependencies.erase(dependencies.size() - 1);
  model.erase("dep16");
  model["front"]["pkg"]["dependencies"] = dependencies;
  TempDir other;
  Built built = build(other, model);
  auto tokens = built.tokens("front");
  EXPECT_EQ(std::count(tokens.begin(), tokens.end(), "--dep"), 16);
}

TEST(CygrunsrvRender, UserAndCredentialsAreUnsupported) {
  json model = {{"x",
                 {{"pkg",
                   {{"name", "x"},
                    {"foregroundProcess", "/bin/x"},
                    {"user", "x"},
                    {"credentials", {{"users", {{"x", {{"group", "x"}}}}}}}}}}}};
  TempDir dir;
  ::testing::internal::CaptureStderr();
  Built built = build(dir, model, false);
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("warning: instance x (cygrunsrv): user is not supported"), std::string::npos)
      << err;
  EXPECT_NE(err.find("warning: instance x (cygrunsrv): credentials are not supported"),
            std::string::npos)
      << err;
  EXPECT_EQ(built.params("x").find("--user"), std::string::npos);
  // With user changes disabled, no backend switches users: nothing to warn about.
  TempDir other;
  ::testing::internal::CaptureStderr();
  build(other, model, true);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

TEST(CygrunsrvRender, BadFields) {
  TempDir dir;
  EXPECT_ERROR_CONTAINS(
      build(dir, {{"x",
                   {{"pkg",
                     {{"name", "x"},
                      {"foregroundProcess", "/bin/x"},
                      {"overrides", {{"cygrunsrv", {{"serviceType", "sometimes"}}}}}}}}}}),
      "instance x (cygrunsrv): field serviceType");
}

}  // namespace
}  // namespace nixproc
