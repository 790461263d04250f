// The switch (deploy/switch.h, deploy/switch_command.h) against a fake
// backend: hand-made generations in a temporary home, and a fake manager
// whose "running" instances are files in a state directory (so a switch that
// is killed in a child process leaves them behind for the repair to see).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>

#include "deploy/switch.h"
#include "deploy/switch_command.h"
#include "test_support.h"
#include "util/error.h"
#include "util/lock.h"

namespace nixproc {
namespace {

using testing::TempDir;

// What the fake manager does and has done. One at a time in a test; the
// switch calls it from its worker threads.
struct FakeManager {
  std::mutex mutex;
  std::condition_variable changed;
  std::string running_dir;           // <key> holds the running version
  std::vector<std::string> calls;    // "start a", "stop b", "confirm a", "prepare <path>"
  std::set<std::string> fail_start;  // keys whose start fails
  std::string crash_at;              // key whose start kills the process (in a child)
  // Starts of these keys wait until all of them are under way.
  std::set<std::string> barrier;
  size_t arrived = 0;
  bool barrier_broken = false;  // a start gave up waiting for the others
  std::vector<std::string> order_violations;

  std::string file(const DeployedInstance& instance) const {
    return running_dir + "/" + instance.key;
  }
};
FakeManager* fake_manager = nullptr;

void record(const std::string& call) {
  std::lock_guard lock(fake_manager->mutex);
  fake_manager->calls.push_back(call);
}

// Blocks until every key of the barrier has arrived (a guard against a hang,
// not a measurement: a switch that never overlaps them breaks the barrier).
void wait_at_barrier(const std::string& key) {
  std::unique_lock lock(fake_manager->mutex);
  if (!fake_manager->barrier.count(key)) return;
  ++fake_manager->arrived;
  fake_manager->changed.notify_all();
  if (!fake_manager->changed.wait_for(lock, std::chrono::seconds(30), [] {
        return fake_manager->arrived >= fake_manager->barrier.size();
      }))
    fake_manager->barrier_broken = true;
}

void fake_activate(const DeployedInstance& instance, const DeployOptions&) {
  record("start " + instance.key);
  if (instance.key == fake_manager->crash_at) ::_exit(9);  // killed mid-switch
  wait_at_barrier(instance.key);
  for (const auto& dependency : instance.info.value("dependencies", std::vector<std::string>{}))
    if (!fs::exists(fake_manager->running_dir + "/" + dependency)) {
      std::lock_guard lock(fake_manager->mutex);
      fake_manager->order_violations.push_back(instance.key + " before " + dependency);
    }
  if (fake_manager->fail_start.count(instance.key)) throw Error(instance.key + " did not start");
  fs::write_file_atomic(fake_manager->file(instance), instance.info.value("version", ""));
}

void fake_deactivate(const DeployedInstance& instance, const DeployOptions&) {
  record("stop " + instance.key);
  fs::remove_tree(fake_manager->file(instance));
}

void fake_confirm(const DeployedInstance& instance, const DeployOptions&) {
  record("confirm " + instance.key);
}

InstanceStatus fake_status(const DeployedInstance& instance, const DeployOptions&) {
  return {fs::exists(fake_manager->file(instance)) ? RunState::Running : RunState::Stopped, 0, ""};
}

void fake_prepare(const DeployedProfile& profile, const DeployOptions&) {
  record("prepare " + profile.path);
}

const Backend fake_backend = {.name = "fake",
                              .description = "records what a switch asks of it",
                              .activate = fake_activate,
                              .deactivate = fake_deactivate,
                              .confirm = fake_confirm,
                              .status = fake_status,
                              .prepare = fake_prepare};

const Backend& fake_backends(const std::string& name) {
  return name == "fake" ? fake_backend : find_backend(name);
}

struct FakeInstance {
  std::string key, version;
  std::vector<std::string> dependencies = {};
};

class SwitchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home.root = dir.path();
    home.store = dir / "store";
    home.profiles = dir / "profiles";
    home.gcroots = dir / "gcroots";
    home.nix_roots = dir / "nix-roots";
    prepare_home(home);
    manager.running_dir = dir / "running";
    fs::make_directories(manager.running_dir);
    fake_manager = &manager;
    options.deploy.stop_timeout = 1;
    options.backends = fake_backends;
  }
  void TearDown() override { fake_manager = nullptr; }

  // A generation in the store: its manifest only, as the switch reads it.
  std::string generation(const std::vector<FakeInstance>& instances) {
    Manifest manifest;
    manifest.process_manager = "fake";
    manifest.params = {{"stateDir", dir / "var"}, {"forceDisableUserChange", true}};
    for (const auto& [key, version, dependencies] : instances) {
      ManifestInstance instance;
      instance.key = instance.name = key;
      instance.hash = key + "-" + version;
      instance.dependencies = dependencies;
      instance.info = {{"version", version}, {"dependencies", dependencies}};
      manifest.instances.push_back(instance);
    }
    std::string path = home.store + "/" + std::to_string(++generations_made) + "-profile";
    fs::make_directories(path);
    fs::write_file_atomic(path + "/" + kManifestFile, manifest.to_text());
    return path;
  }

  void switch_to(const std::string& path, int jobs = 1) {
    SwitchOptions with = options;
    with.jobs = jobs;
    switch_profile(profile, path, read_manifest(path), with);
  }

  // Deploys `path` and forgets the calls it made.
  void deployed(const std::string& path) {
    switch_to(path);
    manager.calls.clear();
  }

  // The calls that start with `verb` ("start", "stop"), in order.
  std::vector<std::string> calls(const std::string& verb) const {
    std::vector<std::string> found;
    for (const auto& call : manager.calls)
      if (call.rfind(verb + " ", 0) == 0) found.push_back(call.substr(verb.size() + 1));
    return found;
  }

  // key -> running version, from the fake manager's state.
  std::map<std::string, std::string> running() const {
    std::map<std::string, std::string> found;
    for (const auto& key : fs::list_directory(manager.running_dir))
      found[key] = fs::read_file(manager.running_dir + "/" + key);
    return found;
  }

  std::string current_target() const {
    auto current = profile.current();
    return current ? current->target : "";
  }

  TempDir dir;
  Home home;
  FakeManager manager;
  SwitchOptions options;
  Profile profile{dir / "profiles", "processes"};
  int generations_made = 0;
};

using Strings = std::vector<std::string>;
using Running = std::map<std::string, std::string>;

// 1. The plan, as the backend sees it.

TEST_F(SwitchTest, FirstDeployStartsEveryInstance) {
  std::string first = generation({{"a", "1"}, {"b", "1"}});
  switch_to(first);
  EXPECT_EQ(calls("start"), (Strings{"a", "b"}));
  EXPECT_TRUE(calls("stop").empty());
  EXPECT_EQ(calls("confirm"), (Strings{"a", "b"}));
  EXPECT_EQ(calls("prepare"), (Strings{first}));
  EXPECT_EQ(running(), (Running{{"a", "1"}, {"b", "1"}}));
  EXPECT_EQ(current_target(), first);
  EXPECT_FALSE(fs::lexists(profile.journal_file()));
}

TEST_F(SwitchTest, AnUnchangedSwitchTouchesNothing) {
  deployed(generation({{"a", "1"}, {"b", "1"}}));
  std::string same = generation({{"a", "1"}, {"b", "1"}});
  switch_to(same);
  EXPECT_TRUE(calls("start").empty());
  EXPECT_TRUE(calls("stop").empty());
  EXPECT_EQ(current_target(), same);
}

TEST_F(SwitchTest, OnlyTheChangedInstanceIsRestarted) {
  deployed(generation({{"a", "1"}, {"b", "1"}, {"c", "1"}}));
  switch_to(generation({{"a", "1"}, {"b", "2"}, {"c", "1"}}));
  EXPECT_EQ(calls("stop"), (Strings{"b"}));
  EXPECT_EQ(calls("start"), (Strings{"b"}));
  EXPECT_EQ(running(), (Running{{"a", "1"}, {"b", "2"}, {"c", "1"}}));
}

TEST_F(SwitchTest, ARemovedInstanceIsOnlyStopped) {
  deployed(generation({{"a", "1"}, {"b", "1"}}));
  switch_to(generation({{"a", "1"}}));
  EXPECT_EQ(calls("stop"), (Strings{"b"}));
  EXPECT_TRUE(calls("start").empty());
  EXPECT_EQ(running(), (Running{{"a", "1"}}));
}

TEST_F(SwitchTest, StopsRunInReverseDependencyOrderAndStartsInOrder) {
  deployed(generation({{"a", "1"}, {"b", "1", {"a"}}, {"c", "1", {"b"}}}));
  switch_to(generation({{"a", "2"}, {"b", "2", {"a"}}, {"c", "2", {"b"}}}), 4);
  EXPECT_EQ(calls("stop"), (Strings{"c", "b", "a"}));
  EXPECT_EQ(calls("start"), (Strings{"a", "b", "c"}));
  EXPECT_TRUE(manager.order_violations.empty());
}

TEST_F(SwitchTest, ADryRunOnlyPrintsThePlan) {
  std::string first = generation({{"a", "1"}});
  deployed(first);
  SwitchOptions dry = options;
  dry.dry_run = true;
  std::string next = generation({{"a", "2"}});
  switch_profile(profile, next, read_manifest(next), dry);
  EXPECT_TRUE(manager.calls.empty());
  EXPECT_EQ(current_target(), first);
}

// 2. The parallel apply.

TEST_F(SwitchTest, IndependentInstancesStartTogetherAndDependantsAfterThem) {
  manager.barrier = {"a", "b"};  // neither start returns before the other began
  switch_to(generation({{"a", "1"}, {"b", "1"}, {"c", "1", {"a", "b"}}}), 4);
  EXPECT_FALSE(manager.barrier_broken) << "a and b did not start at the same time";
  EXPECT_EQ(manager.arrived, 2u);
  EXPECT_TRUE(manager.order_violations.empty())
      << "started before its dependency: " << manager.order_violations.front();
  ASSERT_EQ(calls("start").size(), 3u);
  EXPECT_EQ(calls("start").back(), "c");
  EXPECT_EQ(running(), (Running{{"a", "1"}, {"b", "1"}, {"c", "1"}}));
}

// 3. A failed start is undone.

TEST_F(SwitchTest, AFailedStartRestoresThePreviousDeployment) {
  std::string first = generation({{"a", "1"}, {"b", "1"}});
  deployed(first);
  manager.fail_start = {"c"};
  std::string next = generation({{"a", "2"}, {"b", "1"}, {"c", "1", {"a"}}});
  EXPECT_ERROR_CONTAINS(switch_to(next, 4), "c did not start");
  EXPECT_EQ(running(), (Running{{"a", "1"}, {"b", "1"}}));
  EXPECT_EQ(current_target(), first);
  EXPECT_EQ(profile.generations().size(), 1u);
  EXPECT_FALSE(fs::lexists(profile.journal_file()));
  EXPECT_EQ(calls("prepare"), (Strings{next, first}));  // the manager learns the old one again
}

// 4. An interrupted switch is repaired.

TEST_F(SwitchTest, AKilledSwitchIsRepairedByTheNext) {
  std::string first = generation({{"a", "1"}, {"b", "1"}});
  deployed(first);
  manager.crash_at = "c";
  std::string next = generation({{"a", "2"}, {"b", "1"}, {"c", "1", {"a"}}, {"d", "1", {"c"}}});
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      switch_to(next);
    } catch (...) {
    }
    ::_exit(0);  // not reached: the start of c kills it
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 9) << "the switch was not killed at c";
  ASSERT_TRUE(fs::lexists(profile.journal_file()));
  ASSERT_EQ(running(), (Running{{"a", "2"}, {"b", "1"}}));  // half-way
  EXPECT_EQ(current_target(), first);

  manager.crash_at.clear();
  repair_interrupted_switch(profile, options);
  EXPECT_EQ(running(), (Running{{"a", "1"}, {"b", "1"}}));
  EXPECT_FALSE(fs::lexists(profile.journal_file()));
  EXPECT_EQ(current_target(), first);

  // The next switch starts from the current generation's processes.
  manager.calls.clear();
  switch_to(next);
  EXPECT_EQ(calls("stop"), (Strings{"a"}));
  EXPECT_EQ(calls("start"), (Strings{"a", "c", "d"}));
}

TEST_F(SwitchTest, AFinishedSwitchLeavesNothingToRepair) {
  deployed(generation({{"a", "1"}}));
  repair_interrupted_switch(profile, options);
  EXPECT_TRUE(manager.calls.empty());
}

// 5. One switch at a time (deploy/switch_command.h).

TEST_F(SwitchTest, AConcurrentSwitchIsRefused) {
  std::string first = generation({{"a", "1"}});
  deployed(first);
  SwitchRequest request;
  request.process_manager = "fake";
  request.built_profile = generation({{"a", "2"}});
  request.options = options;
  FileLock other(profile.lock_file(), false, "another switch");
  EXPECT_ERROR_CONTAINS(run_switch(home, request), "a switch of profile processes is in progress");
  EXPECT_TRUE(manager.calls.empty());
  EXPECT_EQ(running(), (Running{{"a", "1"}}));
  EXPECT_EQ(current_target(), first);
}

TEST_F(SwitchTest, TheSwitchCommandBuildsForTheChosenManager) {
  std::string built = generation({{"a", "1"}});
  SwitchRequest request;
  request.process_manager = "fake";
  std::vector<std::string> seen;
  request.open_build = [&](const Backend& backend) {
    seen.push_back(std::string("open ") + backend.name);
  };
  request.build = [&](const Backend& backend) {
    seen.push_back(std::string("build ") + backend.name);
    return BuildOutput{built, read_manifest(built)};
  };
  request.options = options;
  run_switch(home, request);
  EXPECT_EQ(seen, (Strings{"open fake", "build fake"}));
  EXPECT_EQ(current_target(), built);
  EXPECT_EQ(running(), (Running{{"a", "1"}}));
}

TEST_F(SwitchTest, ARollbackDeploysThePreviousGenerationWithoutBuilding) {
  std::string first = generation({{"a", "1"}});
  deployed(first);
  deployed(generation({{"a", "2"}}));
  SwitchRequest request;
  request.rollback = true;  // the manager: the current generation's
  request.build = [](const Backend&) -> BuildOutput { throw Error("built"); };
  request.options = options;
  run_switch(home, request);
  EXPECT_EQ(running(), (Running{{"a", "1"}}));
  EXPECT_EQ(current_target(), first);
}

TEST_F(SwitchTest, TheNoneManagerIsRefusedBeforeAnything) {
  SwitchRequest request;
  request.process_manager = "none";
  request.options = options;
  EXPECT_ERROR_CONTAINS(run_switch(home, request), "only builds");
  EXPECT_FALSE(fs::lexists(profile.lock_file()));
}

}  // namespace
}  // namespace nixproc
