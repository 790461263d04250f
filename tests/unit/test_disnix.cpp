// The disnix backend's rendering through the real build step: the dysnomia
// process config naming its wrapper and PID file, and the wrapper itself.
#include "build_support.h"
#include "test_support.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

using namespace testing;

TEST(DisnixRender, ConfigNamesTheWrapperAndPidFile) {
  TempDir dir;
  Built built = build_with(dir, webapps(true), "disnix");
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

TEST(HostileStrings, DisnixWrapper) {
  expect_hostile_round_trips("disnix", "libexec/nixproc/h-process-wrapper");
}

}  // namespace
}  // namespace nixproc
