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

}  // namespace
}  // namespace nixproc
