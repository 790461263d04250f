#include "deploy/plan.h"
#include "test_support.h"

namespace nixproc {
namespace {

// A backend whose instances run unless their info says "off".
bool started(const DeployedInstance& instance, const DeployOptions&) {
  return !instance.info.value("off", false);
}
const Backend fake = {"fake",  "test",  nullptr, nullptr, nullptr, started, nullptr,
                      nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
const Backend other = {"other", "test",  nullptr, nullptr, nullptr, started, nullptr,
                       nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

Manifest manifest(std::vector<std::pair<std::string, std::string>> instances,
                  const char* pm = "fake") {
  Manifest result;
  result.process_manager = pm;
  for (auto& [key, hash] : instances) {
    ManifestInstance instance;
    instance.key = instance.name = key;
    instance.hash = hash;
    result.instances.push_back(instance);
  }
  return result;
}

std::vector<std::string> keys(const std::vector<const ManifestInstance*>& instances) {
  std::vector<std::string> result;
  for (const auto* instance : instances) result.push_back(instance->key);
  return result;
}

TEST(Plan, FirstDeployStartsEverythingInOrder) {
  Manifest next = manifest({{"webapp", "1"}, {"nginx", "2"}});
  Plan plan = make_plan(nullptr, nullptr, next, fake, {});
  EXPECT_TRUE(plan.stop.empty());
  EXPECT_EQ(keys(plan.start), (std::vector<std::string>{"webapp", "nginx"}));
}

TEST(Plan, OnlyChangedAddedAndRemovedInstancesAreTouched) {
  Manifest old = manifest({{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}});
  Manifest next = manifest({{"a", "1"}, {"b", "20"}, {"d", "4"}, {"e", "5"}});
  Plan plan = make_plan(&old, &fake, next, fake, {});
  EXPECT_EQ(keys(plan.stop), (std::vector<std::string>{"c", "b"}));  // reverse order
  EXPECT_EQ(keys(plan.start), (std::vector<std::string>{"b", "e"}));
  EXPECT_EQ(keys(plan.keep), (std::vector<std::string>{"a", "d"}));
}

TEST(Plan, AnotherProcessManagerReplacesEverything) {
  Manifest old = manifest({{"a", "1"}, {"b", "2"}});
  Manifest next = manifest({{"a", "1"}, {"b", "2"}}, "other");
  Plan plan = make_plan(&old, &fake, next, other, {});
  EXPECT_EQ(keys(plan.stop), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(keys(plan.start), (std::vector<std::string>{"a", "b"}));
}

TEST(Plan, InstancesThatDoNotRunAreNeitherStoppedNorStarted) {
  Manifest old = manifest({{"a", "1"}, {"b", "2"}});
  old.instances[0].info["off"] = true;
  Manifest next = manifest({{"a", "1"}, {"b", "2"}});
  next.instances[1].info["off"] = true;
  Plan plan = make_plan(&old, &fake, next, fake, {});
  EXPECT_EQ(keys(plan.stop), std::vector<std::string>{"b"});
  EXPECT_EQ(keys(plan.start), std::vector<std::string>{"a"});
  EXPECT_TRUE(plan.keep.empty());
}

TEST(Plan, UndeployStopsEverythingInReverse) {
  Manifest old = manifest({{"webapp", "1"}, {"nginx", "2"}});
  Plan plan = make_plan(&old, &fake, manifest({}), fake, {});
  EXPECT_EQ(keys(plan.stop), (std::vector<std::string>{"nginx", "webapp"}));
  EXPECT_TRUE(plan.start.empty());
}

}  // namespace
}  // namespace nixproc
