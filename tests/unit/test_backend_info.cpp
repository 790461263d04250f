// The typed hand-over from render to deploy (backends/common/info.h): the
// manifest JSON it writes, and profiles of older nixproc versions read back.
#include <gtest/gtest.h>

#include "backends/common/info.h"
#include "backends/docker/info.h"
#include "backends/sysvinit/info.h"

namespace nixproc {
namespace {

TEST(BackendInfo, EmptyOptionalMembersAreLeftOutOfTheJson) {
  sysvinit::Info info{.name = "web",
                      .sequence = 2,
                      .script = "etc/rc.d/init.d/web",
                      .start_levels = {3, 4},
                      .pid_file = std::nullopt,
                      .program = std::nullopt,
                      .record = "/run/nixproc-instances/web/record",
                      .log = std::nullopt,
                      .user = std::nullopt};
  EXPECT_EQ(info_json(info), json::parse(R"({"name": "web", "sequence": 2,
      "script": "etc/rc.d/init.d/web", "startLevels": [3, 4],
      "record": "/run/nixproc-instances/web/record"})"));
}

TEST(BackendInfo, RoundTrips) {
  docker::Info info{.container = "nixproc-web",
                    .image = "web:latest",
                    .priority = 3,
                    .settings = "web-docker-settings",
                    .create_params = "web-docker-createparams",
                    .cmd = "web-docker-cmd",
                    .image_label = "a",
                    .container_label = "b"};
  docker::Info back = info_from_json<docker::Info>(info_json(info), "instance web");
  EXPECT_EQ(info_json(back), info_json(info));
  EXPECT_EQ(back.create_params, "web-docker-createparams");
}

TEST(BackendInfo, KeysAnOlderProfileLacksKeepTheirDefaults) {
  auto info =
      info_from_json<docker::Info>(json::parse(R"({"settings": "s", "cmd": "c"})"), "instance web");
  EXPECT_FALSE(info.container.has_value());
  EXPECT_EQ(info.priority, 0);
  EXPECT_EQ(info.settings, "s");
  EXPECT_EQ(info.image_label, "");
  auto none = info_from_json<sysvinit::Info>(json::object(), "instance web");
  EXPECT_TRUE(none.start_levels.empty());
  EXPECT_FALSE(none.record.has_value());
}

TEST(BackendInfo, AMalformedFieldNamesInstanceAndField) {
  try {
    info_from_json<sysvinit::Info>(json::parse(R"({"startLevels": "3"})"), "instance web");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("instance web: the profile's field startLevels"),
              std::string::npos)
        << error.what();
  }
}

TEST(BackendInfo, CommonInfoReadsTheUserOfAnyBackend) {
  EXPECT_EQ(info_from_json<CommonInfo>(json::parse(R"({"user": "web", "x": 1})"), "i").user, "web");
  EXPECT_FALSE(info_from_json<CommonInfo>(json::object(), "i").user.has_value());
}

}  // namespace
}  // namespace nixproc
