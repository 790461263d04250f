#include "deploy/activities.h"

#include <algorithm>
#include <cstdio>

#include "backends/activity.h"
#include "backends/common/process_control.h"
#include "util/error.h"
#include "util/quote.h"

namespace nixproc {

std::vector<const ManifestInstance*> select_instances(const Manifest& manifest,
                                                      const std::vector<std::string>& names) {
  std::vector<const ManifestInstance*> selected;
  for (const auto& name : names) {
    auto found =
        std::find_if(manifest.instances.begin(), manifest.instances.end(),
                     [&](const ManifestInstance& i) { return i.key == name || i.name == name; });
    if (found == manifest.instances.end())
      throw Error("no deployed instance is named " + quote(name));
  }
  for (const auto& instance : manifest.instances)
    if (names.empty() || std::find(names.begin(), names.end(), instance.key) != names.end() ||
        std::find(names.begin(), names.end(), instance.name) != names.end())
      selected.push_back(&instance);
  return selected;
}

int run_activities(const Manifest& manifest, const ActivityRequest& request) {
  const Backend& backend = find_backend(manifest.process_manager);
  auto selected = select_instances(manifest, request.names);
  if (request.reverse) std::reverse(selected.begin(), selected.end());
  int first_failure = 0;
  std::vector<const ManifestInstance*> started;
  bool starting = request.activity == "start" || request.activity == "restart";
  for (const auto* instance : selected) {
    DeployedInstance deployed = instance->deployed();
    // Without names, only what a switch would start (the runlevel's S links).
    if (request.names.empty() && !starts(backend, deployed, request.options)) continue;
    int status = run_activity(backend, deployed, request.activity, request.options);
    if (status != 0 && first_failure == 0) first_failure = status;
    if (status == 0 && starting) started.push_back(instance);
  }
  // A start counts once the instance stayed up (Backend::confirm), checked
  // when all of them are under way.
  if (backend.confirm)
    for (const auto* instance : started) {
      int status = activity_exit_status([&] {
        backend.confirm(instance->deployed(), request.options);
        return 0;
      });
      if (status != 0 && first_failure == 0) first_failure = status;
    }
  return first_failure;
}

int print_status(const Manifest& manifest, const std::vector<std::string>& names,
                 const DeployOptions& options) {
  const Backend& backend = find_backend(manifest.process_manager);
  bool all_running = true;
  for (const auto* instance : select_instances(manifest, names)) {
    InstanceStatus status = backend.status(instance->deployed(), options);
    if (status.state != RunState::Running) all_running = false;
    std::printf("%-24s %-22s %s\n", instance->key.c_str(), run_state_name(status.state),
                status.pid ? std::to_string(status.pid).c_str() : "-");
  }
  return all_running ? kActivityDone : kNotRunning;
}

}  // namespace nixproc
