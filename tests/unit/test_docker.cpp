// The docker backend's rendering through the real build step: the files of
// reference 3.9 (settings, createparams, priority, cmd), the run script that
// is the container's command, the root file system, overrides, bad input and
// hostile strings.
#include <sys/stat.h>

#include <algorithm>

#include "backends/backend.h"
#include "backends/docker/docker.h"
#include "build_support.h"
#include "deploy/build.h"
#include "test_support.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

using testing::Built;
using testing::split;
using testing::TempDir;

Built build(const TempDir& dir, const json& document, bool force = true,
            const std::string& state_dir = "") {
  return testing::build_with(
      dir, document, "docker",
      {.force_disable_user_change = force, .state_dir = state_dir, .libexec_dir = true});
}

// With the accounts docker makes in the container.
json webapps(bool with_user) {
  json model = testing::webapps(with_user);
  model["webapp"]["pkg"]["credentials"] = {
      {"groups", {{"webapp", json::object()}}},
      {"users", {{"webapp", {{"group", "webapp"}, {"description", "Webapp"}}}}}};
  return model;
}

TEST(DockerRender, FilesOfEachContainer) {
  TempDir dir;
  Built built = build(dir, webapps(false));
  const auto& nginx = built.instance("nginx");
  std::vector<std::string> paths;
  for (const auto& [path, stored] : nginx.files) paths.push_back(path);
  EXPECT_EQ(paths,
            (std::vector<std::string>{"02-nginx-docker-priority",
                                      "lib/nixproc/docker/nginx/"
                                      "nixproc-docker-rootfs.tar",
                                      "libexec/nixproc/nginx-docker-run", "nginx-docker-cmd",
                                      "nginx-docker-createparams", "nginx-docker-settings"}));
  EXPECT_TRUE(built.instance("webapp").files.count("01-webapp-docker-priority"));
  EXPECT_EQ(nginx.info["container"], "nixproc-nginx");
  EXPECT_EQ(nginx.info["image"], "nginx:latest");
  EXPECT_EQ(nginx.info["priority"], 2);
  EXPECT_FALSE(nginx.info.contains("user"));

  std::string rootfs = nginx.files.at("lib/nixproc/docker/nginx/nixproc-docker-rootfs.tar");
  EXPECT_EQ(built.file("nginx", "nginx-docker-settings"),
            "dockerImage=" + rootfs + "\ndockerImageTag=nginx:latest\n");
  // One root file system for every image.
  EXPECT_EQ(rootfs, built.instance("webapp").files.at(
                        "lib/nixproc/docker/webapp/nixproc-docker-rootfs.tar"));
  std::string run_script = nginx.files.at("libexec/nixproc/nginx-docker-run");
  EXPECT_EQ(built.file("nginx", "nginx-docker-cmd"), "[\"" + run_script + "\"]\n");
  EXPECT_EQ(split(built.file("nginx", "nginx-docker-createparams"), '\n'),
            (std::vector<std::string>{"--volume", "/usr:/usr:ro", "--volume",
                                      dir / "libexec:" + dir / "libexec:ro", "--volume",
                                      built.store + ":" + built.store + ":ro", "--network", "host",
                                      "--volume", dir / "var:" + dir / "var:z"}));
  // The run script makes the state dirs, then runs nginx in the foreground.
  std::string script = built.file("nginx", "libexec/nixproc/nginx-docker-run");
  EXPECT_EQ(
      script.rfind("#! /bin/sh -e\n'mkdir' '-p' '" + dir / "var" + "' '" + dir / "var/run", 0), 0u)
      << script;
  EXPECT_NE(script.find("\nexec '/usr/sbin/nginx' '-g' 'daemon off;'\n"), std::string::npos);
  EXPECT_TRUE(run({"sh", "-n", run_script}).ok());
}

TEST(DockerRender, RootFileSystem) {
  TempDir dir;
  std::string tarball = dir / "rootfs.tar";
  fs::write_file_atomic(tarball, docker::root_filesystem_tarball());
  SpawnOptions utc = capturing();
  utc.environment = {"TZ=UTC"};
  RunResult listing = run({"tar", "--numeric-owner", "-tvf", tarball}, utc);
  ASSERT_TRUE(listing.ok()) << listing.err;
  // "MODE OWNER SIZE DATE TIME PATH": the mode, owner and path of each entry.
  auto entry = [&](const std::string& path) {
    for (const auto& line : split(listing.out, '\n'))
      if (line.size() > path.size() &&
          line.compare(line.size() - path.size(), path.size(), path) == 0 &&
          line[line.size() - path.size() - 1] == ' ')
        return line.substr(0, line.find(' ', 11)) + " " + path;
    return "missing " + path;
  };
  EXPECT_EQ(entry("./"), "drwxr-xr-x 0/0 ./");
  EXPECT_EQ(entry("./tmp/"), "drwxrwxrwt 0/0 ./tmp/");
  EXPECT_EQ(entry("./etc/shadow"), "-rw-r----- 0/0 ./etc/shadow");
  EXPECT_EQ(entry("./var/run -> /run"), "lrwxrwxrwx 0/0 ./var/run -> /run");
  EXPECT_EQ(entry("./bin -> usr/bin"), "lrwxrwxrwx 0/0 ./bin -> usr/bin");
  EXPECT_EQ(entry("./lib64 -> usr/lib64"), "lrwxrwxrwx 0/0 ./lib64 -> usr/lib64");
  EXPECT_NE(listing.out.find(" 1970-01-01 "), std::string::npos) << listing.out;
  RunResult passwd = run({"tar", "-xOf", tarball, "./etc/passwd"}, capturing());
  EXPECT_NE(passwd.out.find("\nnobody:x:65534:65534:"), std::string::npos) << passwd.out;
  RunResult group = run({"tar", "-xOf", tarball, "./etc/group"}, capturing());
  EXPECT_EQ(group.out, "root:x:0:\nnogroup:x:65534:\n");
}

TEST(DockerRender, AccountsAreMadeInTheContainerNotOnTheHost) {
  TempDir dir;
  Built built = build(dir, webapps(true), false);
  const auto& webapp = built.instance("webapp");
  EXPECT_TRUE(webapp.credentials.empty()) << webapp.credentials;
  EXPECT_FALSE(webapp.info.contains("user"));  // no host privileges needed
  std::string script = built.file("webapp", "libexec/nixproc/webapp-docker-run");
  EXPECT_NE(script.find("getent group 'webapp' >/dev/null || 'groupadd' 'webapp'\n"),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("getent passwd 'webapp' >/dev/null || 'useradd' '-g' 'webapp' '-c' "
                        "'Webapp' '-d' '/dev/null' '-M' 'webapp'\n"),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("'" + dir / "runtime/bin/nixproc-chainload-user" + "' 'webapp' "),
            std::string::npos)
      << script;

  TempDir forced_dir;
  Built forced = build(forced_dir, webapps(true), true);
  std::string forced_script = forced.file("webapp", "libexec/nixproc/webapp-docker-run");
  EXPECT_EQ(forced_script.find("useradd"), std::string::npos) << forced_script;
  EXPECT_EQ(forced_script.find("chainload-user"), std::string::npos) << forced_script;
}

TEST(DockerRender, PrioritiesFollowDependenciesPastNinetyNine) {
  TempDir dir;
  json document = json::object();
  for (int i = 0; i < 101; ++i) {
    std::string name = "p" + std::to_string(i);
    json pkg = {{"instanceName", name}, {"foregroundProcess", "/bin/true"}};
    if (i > 0) pkg["dependencies"] = {"p" + std::to_string(i - 1)};
    document[name] = {{"pkg", pkg}};
  }
  Built built = build(dir, document);
  EXPECT_TRUE(built.instance("p0").files.count("01-p0-docker-priority"));
  EXPECT_TRUE(built.instance("p8").files.count("09-p8-docker-priority"));
  EXPECT_TRUE(built.instance("p9").files.count("10-p9-docker-priority"));
  EXPECT_TRUE(built.instance("p100").files.count("101-p100-docker-priority"));
  // The name is in the info, never parsed back from the file name.
  EXPECT_EQ(built.instance("p100").info["container"], "nixproc-p100");
  EXPECT_EQ(built.instance("p100").info["priority"], 101);
}

TEST(DockerRender, OverridesAndCreateParameters) {
  TempDir dir;
  json model = webapps(false);
  model["nginx"]["pkg"]["overrides"] = {{"docker",
                                         {{"dockerCreateParameters",
                                           {{{"name", "memory"}, {"value", "64m"}},
                                            {{"name", "t"}},
                                            {{"name", "env"}, {"value", "A=it's $x"}}}},
                                          {"dockerStopTimeout", 3},
                                          {"hostPaths", {"/opt/things"}},
                                          {"mapStateDirVolumes", {dir / "var", "/srv/data"}}}}};
  Built built = build(dir, model);
  EXPECT_EQ(
      split(built.file("nginx", "nginx-docker-createparams"), '\n'),
      (std::vector<std::string>{
          "--memory", "64m", "-t", "--env", "A=it's $x", "--volume", "/opt/things:/opt/things:ro",
          "--volume", built.store + ":" + built.store + ":ro", "--network", "host", "--volume",
          dir / "var:" + dir / "var:z", "--volume", "/srv/data:/srv/data:z"}));
  EXPECT_NE(built.file("nginx", "nginx-docker-settings").find("\ndockerStopTimeout=3\n"),
            std::string::npos);

  json as_set = webapps(false);
  as_set["nginx"]["pkg"]["overrides"] = {
      {"docker",
       {{"dockerCreateParameters", {{"cpus", 1}, {"read-only", true}, {"privileged", false}}}}}};
  std::string params = build(dir, as_set).file("nginx", "nginx-docker-createparams");
  EXPECT_EQ(params.rfind("--cpus\n1\n--read-only\n--volume\n", 0), 0u) << params;
}

TEST(DockerRender, BadInputNamesInstanceAndField) {
  TempDir dir;
  auto with = [](const json& docker) {
    json model = webapps(false);
    model["nginx"]["pkg"]["overrides"] = {{"docker", docker}};
    return model;
  };
  EXPECT_ERROR_CONTAINS(
      build(dir, with({{"dockerCreateParameters", {{{"name", "env"}, {"value", "A=1\nB"}}}}})),
      "instance nginx (docker): field dockerCreateParameters[0]: a value cannot contain a newline");
  EXPECT_ERROR_CONTAINS(
      build(dir, with({{"dockerCreateParameters", {{{"name", "--x y"}}}}})),
      "instance nginx (docker): field dockerCreateParameters[0]: \"--x y\" is not a docker create");
  EXPECT_ERROR_CONTAINS(build(dir, with({{"dockerCreateParameters", "--privileged"}})),
                        "field dockerCreateParameters: expected a list");
  EXPECT_ERROR_CONTAINS(build(dir, with({{"hostPaths", {"/a:b"}}})),
                        "instance nginx (docker): field hostPaths[0]: \"/a:b\" contains ':'");
  EXPECT_ERROR_CONTAINS(build(dir, with({{"mapStateDirVolumes", {"relative"}}})),
                        "field mapStateDirVolumes[0]: \"relative\" is not an absolute path");
  EXPECT_ERROR_CONTAINS(build(dir, with({{"dockerStopTimeout", "soon"}})),
                        "field dockerStopTimeout: expected a number of seconds");
  EXPECT_ERROR_CONTAINS(build(dir, with({{"credentials", {{"users", {{"u", json::object()}}}}}})),
                        "field credentials: docker creates accounts in the container");
  EXPECT_ERROR_CONTAINS(build(dir, with({{"entrypoint", "x"}})),
                        "instance nginx (docker): field entrypoint: unknown field");
}

TEST(DockerRender, NativeContainerConfig) {
  TempDir dir;
  json document = {{"c",
                    {{"pkg",
                      {{"type", "docker-container"},
                       {"name", "c"},
                       {"process", "/usr/bin/sleep"},
                       {"args", {"1000"}},
                       {"hostPaths", {"/usr"}},
                       {"mapStateDirVolumes", json::array()}}}}}};
  Built built = build(dir, document);
  EXPECT_EQ(
      split(built.file("c", "c-docker-createparams"), '\n'),
      (std::vector<std::string>{"--volume", "/usr:/usr:ro", "--volume",
                                built.store + ":" + built.store + ":ro", "--network", "host"}));
}

// A change to the process changes the container's label (so the container
// is replaced) and, when the command changes, the image's.
TEST(DockerRender, LabelsFollowWhatChanged) {
  TempDir dir;
  Built first = build(dir, webapps(false));
  json changed_params = webapps(false);
  changed_params["nginx"]["pkg"]["overrides"] = {
      {"docker", {{"dockerCreateParameters", {{{"name", "memory"}, {"value", "64m"}}}}}}};
  Built second = build(dir, changed_params);
  EXPECT_EQ(first.instance("nginx").info["imageLabel"],
            second.instance("nginx").info["imageLabel"]);
  EXPECT_NE(first.instance("nginx").info["containerLabel"],
            second.instance("nginx").info["containerLabel"]);
  EXPECT_EQ(first.instance("webapp").info["containerLabel"],
            second.instance("webapp").info["containerLabel"]);
  json changed_args = webapps(false);
  changed_args["nginx"]["pkg"]["foregroundProcessExtraArgs"] = {"-g", "daemon off; user x;"};
  Built third = build(dir, changed_args);
  EXPECT_NE(first.instance("nginx").info["imageLabel"], third.instance("nginx").info["imageLabel"]);
}

// Every hostile string reaches the process's argv and environment through
// the container's command (the run script), in both modes.
void expect_round_trip(bool foreground) {
  TempDir dir;
  json args = testing::hostile_args();
  json env = testing::hostile_environment();
  std::string program = dir / "runtime/bin/recorder";
  json pkg = {{"instanceName", "h"}, {"args", args}, {"environment", env}, {"umask", "022"}};
  pkg[foreground ? "foregroundProcess" : "daemon"] = program;
  std::string state = dir / "it's $a \"var\" `x` \\ 100%";
  Built built = build(dir, {{"h", {{"pkg", pkg}}}}, true, state);

  std::string run_script = json::parse(built.file("h", "h-docker-cmd"))[0];
  std::string record = dir / "record";
  SpawnOptions options = capturing();
  options.environment = {"RECORD=" + record, "PATH=" + dir / "runtime/bin" + ":/usr/bin:/bin"};
  RunResult result = run({run_script}, options);
  ASSERT_TRUE(result.ok()) << result.err << result.out;
  EXPECT_TRUE(fs::is_directory(state + "/run"));
  auto recorded = split(fs::read_file(record), '\0');
  auto position = std::find(recorded.begin(), recorded.end(), program);
  ASSERT_NE(position, recorded.end());
  EXPECT_EQ(std::vector<std::string>(position + 1, recorded.end()), testing::hostile_strings());
  auto environment = split(fs::read_file(record + ".env"), '\0');
  for (size_t i = 0; i < testing::hostile_strings().size(); ++i)
    EXPECT_NE(std::find(environment.begin(), environment.end(),
                        "V" + std::to_string(i) + "=" + testing::hostile_strings()[i]),
              environment.end())
        << "V" << i;
  EXPECT_EQ(std::find(recorded.begin(), recorded.end(), "--pid-file") != recorded.end(),
            !foreground);
  // The hostile state dir reaches the volume option as one token.
  std::string params = built.file("h", "h-docker-createparams");
  EXPECT_NE(params.find("\n" + state + ":" + state + ":z\n"), std::string::npos) << params;
}

TEST(DockerRender, HostileStringsRoundTripForeground) {
  expect_round_trip(true);
}

TEST(DockerRender, HostileStringsRoundTripDaemon) {
  expect_round_trip(false);
}

TEST(DockerCommand, OptionThenEnvironmentThenDocker) {
  DeployOptions options;
  ::unsetenv("NIXPROC_DOCKER_COMMAND");
  EXPECT_EQ(docker::docker_command(options), "docker");
  ::setenv("NIXPROC_DOCKER_COMMAND", "podman", 1);
  EXPECT_EQ(docker::docker_command(options), "podman");
  options.docker_command = "/opt/bin/docker";
  EXPECT_EQ(docker::docker_command(options), "/opt/bin/docker");
  ::unsetenv("NIXPROC_DOCKER_COMMAND");
}

}  // namespace
}  // namespace nixproc
