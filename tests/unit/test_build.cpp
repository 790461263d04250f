// The build step whatever the backend: what changes an instance's hash and
// the profile's path.
#include "build_support.h"
#include "test_support.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

using namespace testing;

TEST(Build, UnchangedInstancesKeepTheirHash) {
  TempDir dir;
  json document = webapps(true);
  Built first = build_with(dir, document, "sysvinit");
  document["webapp"]["pkg"]["environment"]["PORT"] = 5001;
  Built second = build_with(dir, document, "sysvinit");
  EXPECT_NE(first.output.manifest.find("webapp")->hash,
            second.output.manifest.find("webapp")->hash);
  EXPECT_EQ(first.output.manifest.find("nginx")->hash, second.output.manifest.find("nginx")->hash);
  EXPECT_NE(first.output.profile_path, second.output.profile_path);
  Built again = build_with(dir, document, "sysvinit");
  EXPECT_EQ(again.output.profile_path, second.output.profile_path);
}

}  // namespace
}  // namespace nixproc
