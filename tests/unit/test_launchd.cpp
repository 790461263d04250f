// The launchd backend's rendering through the real build step: property
// lists read back with python3's plistlib (values compared exactly) and
// checked by plistutil (libplist), wrappers for initialize and daemons,
// overrides, hostile strings, errors.
#include "backends/backend.h"
#include "build_support.h"
#include "deploy/build.h"
#include "test_support.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

using testing::TempDir;

struct Built : testing::Built {
  std::string plist_file(const std::string& key) const {
    return instance(key).files.at(instance(key).info["plist"].get<std::string>());
  }
};

Built build(const TempDir& dir, const json& document, bool force = true) {
  return {testing::build_with(dir, document, "launchd",
                              {.force_disable_user_change = force, .recording_runtime = false})};
}

bool have(const char* program) {
  return !find_executable(program).empty();
}

// The plist as plistlib reads it, as JSON (integers stay integers).
json read_plist(const std::string& file) {
  RunResult result = run({"python3", "-c",
                          "import json, plistlib, sys\n"
                          "print(json.dumps(plistlib.load(open(sys.argv[1], 'rb'))))",
                          file},
                         capturing());
  EXPECT_TRUE(result.ok()) << result.err;
  return json::parse(result.out);
}

// plistutil converts the plist to the binary format, and plistlib reads the
// same values from that.
void expect_plistutil_agrees(const TempDir& dir, const std::string& file) {
  if (!have("plistutil")) GTEST_SKIP() << "plistutil (libplist-utils) is not installed";
  std::string binary = dir / "converted.bplist";
  ::unlink(binary.c_str());
  RunResult result = run({"plistutil", "-i", file, "-o", binary}, capturing());
  EXPECT_EQ(result.err, "");
  ASSERT_TRUE(fs::exists(binary)) << "plistutil could not read " << file << ": " << result.err;
  EXPECT_EQ(fs::read_file(binary).substr(0, 6), "bplist");
  EXPECT_EQ(read_plist(binary), read_plist(file));
}

// With a PATH for webapp, and nginx's initialize, directory, umask and nice.
json webapps(bool with_user) {
  json model = testing::webapps(with_user);
  model["webapp"]["pkg"]["path"] = {"/opt/tools"};
  model["nginx"]["pkg"].update({{"initialize", "mkdir -p /var/nginx"},
                                {"directory", "/var/nginx"},
                                {"umask", "022"},
                                {"nice", "-5"}});
  return model;
}

TEST(LaunchdRender, PropertyListsAndWrappers) {
  TempDir dir;
  Built built = build(dir, webapps(false));
  const auto& webapp = built.instance("webapp");
  EXPECT_EQ(webapp.info["label"], "org.nixos.webapp");
  EXPECT_EQ(webapp.info["plist"], "Library/LaunchDaemons/org.nixos.webapp.plist");
  EXPECT_TRUE(
      fs::exists(built.output.profile_path + "/Library/LaunchDaemons/org.nixos.webapp.plist"));
  EXPECT_EQ(read_plist(built.plist_file("webapp")),
            json({{"Label", "org.nixos.webapp"},
                  {"Program", "/opt/bin/webapp"},
                  {"EnvironmentVariables", {{"PATH", "/opt/tools/bin"}, {"PORT", "5000"}}}}));

  // initialize: a wrapper runs it, then execs nginx with its arguments.
  const auto& nginx = built.instance("nginx");
  std::string wrapper = nginx.files.at("libexec/nixproc/nginx-launchd");
  EXPECT_EQ(read_plist(built.plist_file("nginx")), json({{"Label", "org.nixos.nginx"},
                                                         {"Program", wrapper},
                                                         {"WorkingDirectory", "/var/nginx"},
                                                         {"Umask", 18},
                                                         {"Nice", -5}}));
  EXPECT_EQ(fs::read_file(wrapper),
            "#! /bin/sh -e\nmkdir -p /var/nginx\nexec '/usr/sbin/nginx' '-g' 'daemon off;'\n");
  expect_plistutil_agrees(dir, built.plist_file("nginx"));
}

TEST(LaunchdRender, UserNameOrChainLoading) {
  TempDir dir;
  Built privileged = build(dir, webapps(true), false);
  EXPECT_EQ(read_plist(privileged.plist_file("webapp"))["UserName"], "webapp");

  // With initialize the wrapper starts as root and chain-loads the user.
  json document = webapps(true);
  document["webapp"]["pkg"]["initialize"] = "true";
  TempDir other;
  Built chained = build(other, document, false);
  json plist = read_plist(chained.plist_file("webapp"));
  EXPECT_FALSE(plist.contains("UserName"));
  std::string wrapper = fs::read_file(plist["Program"].get<std::string>());
  EXPECT_NE(wrapper.find("true\nexec '" +
                         other / "store/00000000000000000000000000000000-nixproc-runtime/bin/"
                                 "nixproc-chainload-user' 'webapp' '/opt/bin/webapp'\n"),
            std::string::npos)
      << wrapper;

  TempDir third;
  EXPECT_FALSE(
      read_plist(build(third, webapps(true), true).plist_file("webapp")).contains("UserName"));
}

TEST(LaunchdRender, DaemonOnlyProcessRunsBehindTheForegroundProxy) {
  TempDir dir;
  json document = {
      {"d", {{"pkg", {{"instanceName", "d"}, {"daemon", "/opt/bin/d"}, {"daemonArgs", {"-D"}}}}}}};
  Built built = build(dir, document);
  json plist = read_plist(built.plist_file("d"));
  EXPECT_FALSE(plist.contains("ProgramArguments"));
  EXPECT_EQ(fs::read_file(plist["Program"].get<std::string>()),
            "#! /bin/sh -e\nexec '" +
                dir / "store/00000000000000000000000000000000-nixproc-runtime" +
                "/bin/nixproc-foreground-proxy' '--pid-file' '" + dir / "var/run/d.pid" +
                "' '--' '/opt/bin/d' '-D'\n");
}

TEST(LaunchdRender, OverridesAndNativeDaemons) {
  TempDir dir;
  json document = webapps(false);
  document["webapp"]["pkg"]["overrides"] = {
      {"launchd",
       {{"plist",
         {{"KeepAlive", true},
          {"RunAtLoad", false},
          {"ThrottleInterval", 2.5},
          {"Label", "com.example.webapp"},
          {"Sockets", {{"Listeners", {{"SockServiceName", "8080"}}}}},
          {"LimitLoadToSessionType", {"Aqua", "System"}}}}}}};
  Built built = build(dir, document);
  EXPECT_EQ(built.instance("webapp").info["plist"],
            "Library/LaunchDaemons/com.example.webapp.plist");
  json plist = read_plist(built.plist_file("webapp"));
  EXPECT_EQ(plist["KeepAlive"], true);
  EXPECT_EQ(plist["RunAtLoad"], false);
  EXPECT_EQ(plist["ThrottleInterval"], 2.5);
  EXPECT_EQ(plist["Label"], "com.example.webapp");
  EXPECT_EQ(plist["Sockets"], json({{"Listeners", {{"SockServiceName", "8080"}}}}));
  EXPECT_EQ(plist["LimitLoadToSessionType"], json({"Aqua", "System"}));
  expect_plistutil_agrees(dir, built.plist_file("webapp"));

  json native = {{"n",
                  {{"pkg",
                    {{"type", "launchd-daemon"},
                     {"instanceName", "n"},
                     {"process", "/bin/sleep"},
                     {"args", {"5"}},
                     {"plist", {{"KeepAlive", true}}}}}}}};
  TempDir other;
  EXPECT_EQ(read_plist(build(other, native).plist_file("n")),
            json({{"Label", "org.nixos.n"},
                  {"Program", "/bin/sleep"},
                  {"ProgramArguments", {"/bin/sleep", "5"}},
                  {"KeepAlive", true}}));
}

TEST(HostileStrings, LaunchdPropertyList) {
  TempDir dir;
  json args = testing::hostile_args();
  json env = testing::hostile_environment();
  for (const char* extra : {"<tag attr=\"x\">&amp;</tag>", "]]>", "carriage\rreturn", "\x7f"}) {
    args.push_back(extra);
  }
  json document = {{"h",
                    {{"pkg",
                      {{"instanceName", "h"},
                       {"foregroundProcess", "/bin/echo <&>"},
                       {"args", args},
                       {"directory", "/tmp/<&> 'x'"},
                       {"environment", env}}}}}};
  Built built = build(dir, document);
  json plist = read_plist(built.plist_file("h"));
  json expected_args = json::array({"/bin/echo <&>"});
  for (const auto& arg : args) expected_args.push_back(arg);
  EXPECT_EQ(plist["ProgramArguments"], expected_args);
  EXPECT_EQ(plist["EnvironmentVariables"], env);
  EXPECT_EQ(plist["WorkingDirectory"], "/tmp/<&> 'x'");
  expect_plistutil_agrees(dir, built.plist_file("h"));
}

TEST(LaunchdRender, ErrorsNameTheInstanceAndField) {
  TempDir dir;
  json document = webapps(false);
  document["webapp"]["pkg"]["args"] = {"bell\x07"};
  EXPECT_ERROR_CONTAINS(
      build(dir, document),
      "instance webapp (launchd): field ProgramArguments: XML cannot hold the control "
      "character U+0007");

  document = webapps(false);
  document["webapp"]["pkg"]["overrides"] = {{"launchd", {{"plist", {{"UserName", "root"}}}}}};
  EXPECT_ERROR_CONTAINS(build(dir, document),
                        "instance webapp (launchd): field plist.UserName: nixproc sets it from "
                        "`user`");

  document = webapps(false);
  document["webapp"]["pkg"]["overrides"] = {{"launchd", {{"plist", {{"Label", "a/b"}}}}}};
  EXPECT_ERROR_CONTAINS(build(dir, document), "field plist.Label: expected a non-empty string");

  // The original's shape, plist keys at the top level, goes under plist; a
  // native config takes nixproc's shape only.
  document = webapps(false);
  document["webapp"]["pkg"]["overrides"] = {{"launchd", {{"KeepAlive", true}}}};
  std::string plist = fs::read_file(build(dir, document).output.profile_path +
                                    "/Library/LaunchDaemons/org.nixos.webapp.plist");
  EXPECT_NE(plist.find("<key>KeepAlive</key>\n  <true/>"), std::string::npos) << plist;
  document = {{"webapp",
               {{"pkg",
                 {{"type", "launchd-daemon"},
                  {"name", "webapp"},
                  {"process", "/bin/web"},
                  {"KeepAlive", true}}}}}};
  EXPECT_ERROR_CONTAINS(build(dir, document),
                        "instance webapp (launchd): field KeepAlive: unknown field");
}

}  // namespace
}  // namespace nixproc
