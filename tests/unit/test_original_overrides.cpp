// overrides.<pm> in the original framework's shapes (its generators'
// arguments), mapped by each backend's adapt_override onto nixproc's config
// fields, and the build step refusing an override that changes a config's type.
#include "backends/cygrunsrv/cygrunsrv.h"
#include "backends/docker/docker.h"
#include "backends/launchd/launchd.h"
#include "backends/supervisord/supervisord.h"
#include "build_support.h"
#include "test_support.h"
#include "util/error.h"
#include "util/fs.h"

#include <unistd.h>

namespace nixproc {
namespace {

using testing::TempDir;

TEST(OriginalOverrides, SupervisordProgramKeysAtTheTopLevel) {
  json adapted = supervisord::adapt_override(
      {{"startsecs", 5}, {"program", {{"stopwaitsecs", 4}}}, {"umask", "022"}}, "here");
  EXPECT_EQ(adapted,
            json({{"program", {{"startsecs", 5}, {"stopwaitsecs", 4}}}, {"umask", "022"}}));
  // nixproc's own shape is unchanged.
  json native = {{"program", {{"startsecs", 3}}}, {"environment", {{"A", "b"}}}};
  EXPECT_EQ(supervisord::adapt_override(native, "here"), native);
}

TEST(OriginalOverrides, LaunchdPlistKeysAtTheTopLevel) {
  json adapted = launchd::adapt_override({{"KeepAlive", true},
                                          {"EnvironmentVariables", {{"PORT", "5000"}}},
                                          {"WorkingDirectory", "/srv"},
                                          {"UserName", "web"},
                                          {"ProgramArguments", {"/bin/web", "-f", "x y"}}},
                                         "here");
  EXPECT_EQ(adapted, json({{"plist", {{"KeepAlive", true}}},
                           {"environment", {{"PORT", "5000"}}},
                           {"directory", "/srv"},
                           {"user", "web"},
                           {"process", "/bin/web"},
                           {"args", {"-f", "x y"}}}));
  EXPECT_ERROR_CONTAINS(launchd::adapt_override({{"UserName", "a"}, {"user", "b"}}, "where"),
                        "where: both UserName");
  EXPECT_ERROR_CONTAINS(launchd::adapt_override({{"ProgramArguments", json::array()}}, "where"),
                        "where.ProgramArguments");
}

TEST(OriginalOverrides, DockerContainerAndImage) {
  json adapted = docker::adapt_override({{"container",
                                          {{"dockerCreateParameters", {{"cpus", 1}}},
                                           {"mapStateDirVolumes", {"/srv"}},
                                           {"dockerImage", "ignored"},
                                           {"useHostNetwork", true},
                                           {"cmd", {"/bin/web", "-f"}}}}},
                                        "here");
  EXPECT_EQ(adapted, json({{"dockerCreateParameters", {{"cpus", 1}}},
                           {"mapStateDirVolumes", {"/srv"}},
                           {"process", "/bin/web"},
                           {"args", {"-f"}}}));
  EXPECT_ERROR_CONTAINS(docker::adapt_override({{"image", {{"name", "x"}}}}, "where"),
                        "where.image: nixproc builds");
  EXPECT_ERROR_CONTAINS(
      docker::adapt_override({{"container", {{"useHostNetwork", false}}}}, "where"),
      "where.container.useHostNetwork");
  json native = {{"dockerCreateParameters", json::array()}};
  EXPECT_EQ(docker::adapt_override(native, "here"), native);
}

TEST(OriginalOverrides, CygrunsrvNames) {
  EXPECT_EQ(cygrunsrv::adapt_override(
                {{"type", "manual"}, {"path", "/bin/web"}, {"environmentPath", {"/usr"}}}, "here"),
            json({{"serviceType", "manual"}, {"process", "/bin/web"}, {"path", {"/usr"}}}));
  // A list `path` is nixproc's own (directories for PATH).
  EXPECT_EQ(cygrunsrv::adapt_override({{"path", {"/opt"}}}, "here"), json({{"path", {"/opt"}}}));
}

TEST(OriginalOverrides, AppliedWhenBuildingAndTypeIsProtected) {
  TempDir dir;
  json model = {{"web",
                 {{"pkg",
                   {{"name", "web"},
                    {"foregroundProcess", "/bin/web"},
                    {"overrides", {{"cygrunsrv", {{"type", "manual"}}}}}}}}}};
  testing::Built built{testing::build_output(dir, model, "cygrunsrv")};
  EXPECT_NE(built.file("web", "nix-process-web-cygrunsrvparams").find("--type\n'manual'\n"),
            std::string::npos);
  json clobber = {{"web",
                   {{"pkg",
                     {{"name", "web"},
                      {"foregroundProcess", "/bin/web"},
                      {"overrides", {{"sysvinit", {{"type", "other"}}}}}}}}}};
  EXPECT_ERROR_CONTAINS(testing::build_output(dir, clobber, "sysvinit"),
                        "instance web: field overrides.sysvinit.type: an override cannot change");
}

// postInstall adds files to the instance's package, as in the original; a
// failing script, or one that leaves a FIFO or replaces a rendered file, is
// an error naming the instance.
TEST(OriginalPostInstall, AddsFilesAndRefusesWhatCannotBeStored) {
  TempDir dir;
  auto model = [](const std::string& script) {
    return json{
        {"web",
         {{"pkg", {{"name", "web"}, {"foregroundProcess", "/bin/web"}, {"postInstall", script}}}}}};
  };
  testing::Built built{testing::build_output(
      dir,
      model("mkdir -p $out/etc/web\nprintf 'a=1\\n' > $out/etc/web/web.conf\n"
            "printf '#!/bin/sh\\n' > $out/etc/web/run && chmod +x $out/etc/web/run"),
      "sysvinit")};
  EXPECT_EQ(fs::read_file(built.profile("etc/web/web.conf")), "a=1\n");
  EXPECT_EQ(built.file("web", "etc/web/web.conf"), "a=1\n");
  EXPECT_EQ(::access(built.profile("etc/web/run").c_str(), X_OK), 0);
  EXPECT_TRUE(fs::exists(built.profile("etc/rc.d/init.d/web")));

  EXPECT_ERROR_CONTAINS(testing::build_output(dir, model("echo broken >&2; exit 3"), "sysvinit"),
                        "instance web: postInstall exited with status 3:\nbroken");
  EXPECT_ERROR_CONTAINS(testing::build_output(dir, model("mkfifo $out/pipe"), "sysvinit"),
                        "instance web: postInstall left pipe, which is not a regular file");
  EXPECT_ERROR_CONTAINS(
      testing::build_output(
          dir, model("mkdir -p $out/etc/rc.d/init.d; echo x > $out/etc/rc.d/init.d/web"),
          "sysvinit"),
      "instance web: postInstall made etc/rc.d/init.d/web, a file the process manager's config");
}

}  // namespace
}  // namespace nixproc
