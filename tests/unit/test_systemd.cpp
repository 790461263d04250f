// The systemd backend's rendering through the real build step: unit files,
// .wants links, overrides, systemd's quoting of hostile strings (checked by
// decoding the way systemd does and by `systemd-analyze verify`), errors.
#include <algorithm>

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
  std::string unit(const std::string& name) const {
    return file(name, "etc/systemd/system/nix-process-" + name + ".service");
  }
};

Built build(const TempDir& dir, const json& document, bool force = true) {
  return {testing::build_with(dir, document, "systemd",
                              {.force_disable_user_change = force, .recording_runtime = false})};
}

// Programs systemd-analyze verify finds; nginx has initialize (a prestart).
json webapps(bool with_user) {
  json model = testing::webapps(with_user);
  model["webapp"]["pkg"]["process"] = "/bin/sleep";
  json& nginx = model["nginx"]["pkg"];
  nginx.erase("foregroundProcessExtraArgs");
  nginx.update({{"process", "/bin/sleep"}, {"args", {"100"}}, {"initialize", "mkdir -p /tmp/x"}});
  return model;
}

const std::string kSystemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// `systemd-analyze verify` on the profile's units; its complaints, or "".
std::string verify(const std::string& profile, const std::vector<std::string>& units) {
  std::vector<std::string> argv = {"systemd-analyze", "verify", "--man=no"};
  for (const auto& unit : units) argv.push_back(profile + "/etc/systemd/system/" + unit);
  RunResult result = run(argv, capturing());
  return result.ok() ? result.err : "exit " + std::to_string(result.exit_code) + ": " + result.err;
}

bool have_systemd_analyze() {
  return !find_executable("systemd-analyze").empty();
}

TEST(SystemdRender, UnitsWantsLinksAndInfo) {
  TempDir dir;
  Built built = build(dir, webapps(false));
  std::string profile = built.output.profile_path;
  EXPECT_EQ(built.unit("webapp"),
            "[Unit]\n"
            "Description=Simple web application\n"
            "\n[Service]\n"
            "ExecStart=\"/bin/sleep\"\n"
            "Type=simple\n"
            "Environment=\"PATH=" +
                kSystemPath +
                "\"\n"
                "Environment=\"PORT=5000\"\n");
  const auto& nginx = built.instance("nginx");
  std::string prestart = nginx.files.at("libexec/nixproc/nginx-prestart");
  EXPECT_EQ(fs::read_file(prestart), "#! /bin/sh -e\nmkdir -p /tmp/x\n");
  EXPECT_EQ(built.unit("nginx"),
            "[Unit]\n"
            "Description=nginx\n"
            "Wants=nix-process-webapp.service\n"
            "After=nix-process-webapp.service\n"
            "\n[Service]\n"
            "ExecStart=\"/bin/sleep\" \"100\"\n"
            "ExecStartPre=\"" +
                prestart +
                "\"\n"
                "Type=simple\n"
                "Environment=\"PATH=" +
                kSystemPath + "\"\n");
  EXPECT_EQ(fs::read_link(profile + "/etc/systemd/system/nix-process-nginx.service.wants/"
                                    "nix-process-webapp.service"),
            "../nix-process-webapp.service");
  EXPECT_TRUE(fs::exists(profile + "/etc/systemd/system/nix-process-nginx.service.wants/"
                                   "nix-process-webapp.service"));
  EXPECT_EQ(nginx.info["unit"], "nix-process-nginx.service");
  EXPECT_EQ(nginx.info["unitFile"], "etc/systemd/system/nix-process-nginx.service");
  EXPECT_EQ(nginx.info["wants"], json({"nix-process-webapp.service"}));
  EXPECT_EQ(built.instance("webapp").info["wants"], json::array());
  if (have_systemd_analyze()) {
    EXPECT_EQ(verify(profile, {"nix-process-webapp.service", "nix-process-nginx.service"}), "");
  }
}

TEST(SystemdRender, DaemonModeUserAndPrivilegedPrestart) {
  TempDir dir;
  json document = {{"d",
                    {{"pkg",
                      {{"instanceName", "d"},
                       {"daemon", "/bin/sleep"},
                       {"daemonArgs", {"-D"}},
                       {"pidFile", "/run/d.pid"},
                       {"directory", "/tmp"},
                       {"umask", "022"},
                       {"nice", "5"},
                       {"user", "nobody"},
                       {"initialize", "true"}}}}}};
  Built privileged = build(dir, document, false);
  std::string unit = privileged.unit("d");
  std::string prestart = privileged.instance("d").files.at("libexec/nixproc/d-prestart");
  EXPECT_NE(unit.find("ExecStart=\"/bin/sleep\" \"-D\"\n"), std::string::npos) << unit;
  EXPECT_NE(unit.find("ExecStartPre=+\"" + prestart + "\"\n"), std::string::npos) << unit;
  for (const char* line : {"Type=forking\n", "PIDFile=/run/d.pid\n", "WorkingDirectory=/tmp\n",
                           "UMask=022\n", "Nice=5\n", "User=nobody\n"})
    EXPECT_NE(unit.find(line), std::string::npos) << line << unit;

  // forceDisableUserChange drops User= (and so the privileged prefix).
  TempDir other;
  std::string forced = build(other, document, true).unit("d");
  EXPECT_EQ(forced.find("User="), std::string::npos) << forced;
  EXPECT_EQ(forced.find("ExecStartPre=+"), std::string::npos) << forced;
  if (have_systemd_analyze()) {
    EXPECT_EQ(verify(build(other, document).output.profile_path, {"nix-process-d.service"}), "");
  }

  // Without an explicit PID file systemd finds the daemon's PID itself.
  document["d"]["pkg"].erase("pidFile");
  TempDir third;
  EXPECT_EQ(build(third, document).unit("d").find("PIDFile"), std::string::npos);
}

TEST(SystemdRender, OverridesAddAndRemoveSettings) {
  TempDir dir;
  json document = webapps(false);
  document["webapp"]["pkg"]["overrides"] = {
      {"systemd",
       {{"Install", {{"WantedBy", "multi-user.target"}}},
        {"Service",
         {{"Restart", "always"}, {"Type", nullptr}, {"ExecStopPost", {"/bin/true", "%x"}}}},
        {"Unit", {{"After", {"network.target", "local-fs.target"}}}}}}};
  std::string unit = build(dir, document).unit("webapp");
  EXPECT_NE(unit.find("[Service]\nExecStart=\"/bin/sleep\"\nExecStopPost=\"/bin/true\" \"%%x\"\n"
                      "Restart=always\nEnvironment="),
            std::string::npos)
      << unit;
  EXPECT_EQ(unit.find("Type="), std::string::npos);
  EXPECT_NE(unit.find("After=network.target\nAfter=local-fs.target\n"), std::string::npos);
  EXPECT_NE(unit.find("\n[Install]\nWantedBy=multi-user.target\n"), std::string::npos) << unit;
  EXPECT_LT(unit.find("[Service]"), unit.find("[Install]"));
}

TEST(SystemdRender, NativeSystemdUnit) {
  TempDir dir;
  json document = {{"native",
                    {{"pkg",
                      {{"type", "systemd-unit"},
                       {"instanceName", "native"},
                       {"environment", {{"A", "b"}}},
                       {"Unit", {{"Description", "A native unit"}}},
                       {"Service", {{"ExecStart", "/bin/sleep 5"}, {"Type", "exec"}}}}}}}};
  std::string unit = build(dir, document).unit("native");
  EXPECT_EQ(unit,
            "[Unit]\nDescription=A native unit\n\n[Service]\nExecStart=/bin/sleep 5\n"
            "Type=exec\nEnvironment=\"A=b\"\nEnvironment=\"PATH=" +
                kSystemPath + "\"\n");
}

// Splits an Exec*= line the way systemd does (quotes, C escapes) and undoes
// the %% doubling and, in command lines, the $$ doubling.
std::vector<std::string> decode_command(const std::string& line, bool command = true) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ') {
      ++i;
      continue;
    }
    EXPECT_EQ(line[i], '"') << line;
    std::string word;
    for (++i; i < line.size() && line[i] != '"'; ++i) {
      char c = line[i];
      if (c == '\\') {
        char e = line[++i];
        if (e == 'n')
          word += '\n';
        else if (e == 't')
          word += '\t';
        else if (e == 'r')
          word += '\r';
        else if (e == 'x') {
          word += static_cast<char>(std::stoi(line.substr(i + 1, 2), nullptr, 16));
          i += 2;
        } else
          word += e;
      } else if ((c == '%' || (command && c == '$')) && i + 1 < line.size() && line[i + 1] == c) {
        word += c;
        ++i;
      } else {
        EXPECT_TRUE(c != '%' && (!command || c != '$')) << "single " << c << " in " << line;
        word += c;
      }
    }
    ++i;  // the closing quote
    words.push_back(word);
  }
  return words;
}

std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> found;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    if (line.rfind(prefix, 0) == 0) found.push_back(line.substr(prefix.size()));
    start = end + 1;
  }
  return found;
}

TEST(HostileStrings, SystemdExecStartAndEnvironment) {
  TempDir dir;
  json args = testing::hostile_args();
  json env = testing::hostile_environment();
  args.push_back(";");
  args.push_back("\x01");
  json document = {{"h",
                    {{"pkg",
                      {{"instanceName", "h"},
                       {"description", "100% <&> \"quoted\" $HOME"},
                       {"foregroundProcess", "/bin/echo"},
                       {"args", args},
                       {"environment", env}}}}}};
  Built built = build(dir, document);
  std::string unit = built.unit("h");
  auto exec = lines_starting(unit, "ExecStart=");
  ASSERT_EQ(exec.size(), 1u);
  std::vector<std::string> expected = {"/bin/echo"};
  for (const auto& arg : args) expected.push_back(arg);
  EXPECT_EQ(decode_command(exec[0]), expected);
  auto environment = lines_starting(unit, "Environment=");
  for (size_t i = 0; i < testing::hostile_strings().size(); ++i) {
    std::string assignment = "V" + std::to_string(i) + "=" + testing::hostile_strings()[i];
    bool found = false;
    for (const auto& line : environment) {
      // Environment= expands % but not $.
      auto words = decode_command(line, false);
      found = found || (words.size() == 1 && words[0] == assignment);
    }
    EXPECT_TRUE(found) << assignment << "\n" << unit;
  }
  EXPECT_NE(unit.find("Description=100%% <&> \"quoted\" $HOME\n"), std::string::npos) << unit;
  if (have_systemd_analyze()) {
    EXPECT_EQ(verify(built.output.profile_path, {"nix-process-h.service"}), "");
  }
}

TEST(SystemdRender, ErrorsNameTheInstanceAndField) {
  TempDir dir;
  json document = webapps(false);
  document["webapp"]["pkg"]["description"] = "two\nlines";
  EXPECT_ERROR_CONTAINS(build(dir, document),
                        "instance webapp (systemd): Unit.Description: a systemd setting cannot "
                        "hold a line break");

  document = webapps(false);
  document["webapp"]["pkg"]["overrides"] = {{"systemd", {{"Service", {{"Environment", "A=b"}}}}}};
  EXPECT_ERROR_CONTAINS(build(dir, document),
                        "instance webapp (systemd): field Service.Environment: set variables "
                        "through `environment`");

  document = webapps(false);
  document["webapp"]["pkg"]["overrides"] = {{"systemd", {{"Service", {{"ExecStart", nullptr}}}}}};
  EXPECT_ERROR_CONTAINS(build(dir, document),
                        "instance webapp (systemd): field Service.ExecStart: missing");

  document = webapps(false);
  document["webapp"]["pkg"]["overrides"] = {{"systemd", {{"Service", {{"Restart", {{"a", 1}}}}}}}};
  EXPECT_ERROR_CONTAINS(build(dir, document),
                        "Service.Restart: expected a string, number or boolean");

  document = webapps(false);
  document["webapp"]["pkg"]["overrides"] = {{"systemd", {{"Bad Section", {{"A", "b"}}}}}};
  EXPECT_ERROR_CONTAINS(build(dir, document), "field Bad Section: not a unit section name");

  document = webapps(false);
  document["webapp"]["pkg"]["overrides"] = {{"systemd", {{"Unit", {{"Documentation", "x\\"}}}}}};
  EXPECT_ERROR_CONTAINS(build(dir, document),
                        "Unit.Documentation: systemd would read a trailing "
                        "backslash as a line continuation");

  document = webapps(false);
  document["webapp"]["pkg"]["foregroundProcess"] = "-/bin/sleep";
  EXPECT_ERROR_CONTAINS(build(dir, document),
                        "starts with a character systemd reads as a command "
                        "prefix");

  json plus = {{"a+b", {{"pkg", {{"instanceName", "a+b"}, {"process", "/bin/sleep"}}}}}};
  EXPECT_ERROR_CONTAINS(build(dir, plus),
                        "instance a+b (systemd): field name: systemd unit names cannot "
                        "contain '+'");
}

}  // namespace
}  // namespace nixproc
