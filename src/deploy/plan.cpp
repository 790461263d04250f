#include "deploy/plan.h"

#include <algorithm>

namespace nixproc {

Plan make_plan(const Manifest* old_manifest, const Backend* old_backend, const Manifest& next,
               const Backend& next_backend, const DeployOptions& options) {
  Plan plan;
  bool same_manager = old_manifest && old_backend == &next_backend;
  auto runs_in_old = [&](const ManifestInstance& instance) {
    return starts(*old_backend, instance.deployed(), options);
  };
  if (old_manifest) {
    for (auto it = old_manifest->instances.rbegin(); it != old_manifest->instances.rend(); ++it) {
      if (!runs_in_old(*it)) continue;
      const ManifestInstance* successor = next.find(it->key);
      bool unchanged = same_manager && successor && successor->hash == it->hash &&
                       starts(next_backend, successor->deployed(), options);
      if (!unchanged) plan.stop.push_back(&*it);
    }
  }
  for (const auto& instance : next.instances) {
    if (!starts(next_backend, instance.deployed(), options)) continue;
    const ManifestInstance* predecessor = old_manifest ? old_manifest->find(instance.key) : nullptr;
    bool unchanged = same_manager && predecessor && predecessor->hash == instance.hash &&
                     runs_in_old(*predecessor);
    (unchanged ? plan.keep : plan.start).push_back(&instance);
  }
  return plan;
}

}  // namespace nixproc
