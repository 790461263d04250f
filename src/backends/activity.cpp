#include "backends/activity.h"

#include "backends/common/process_control.h"

namespace nixproc {

bool starts(const Backend& backend, const DeployedInstance& instance,
            const DeployOptions& options) {
  return !backend.is_started || backend.is_started(instance, options);
}

static int stop(const Backend& backend, const DeployedInstance& instance,
                const DeployOptions& options) {
  if (backend.activities.stop) return backend.activities.stop(instance, options);
  backend.deactivate(instance, options);
  return kActivityDone;
}

static int dispatch(const Backend& backend, const DeployedInstance& instance,
                    const std::string& activity, const DeployOptions& options) {
  const Activities& steps = backend.activities;
  if (steps.script) return steps.script(instance, activity, options);
  if (activity == "start") {
    backend.activate(instance, options);
    return kActivityDone;
  }
  if (activity == "stop") return stop(backend, instance, options);
  if (activity == "restart") {
    if (steps.restart) return steps.restart(instance, options);
    if (int stopped = stop(backend, instance, options); stopped != kActivityDone) return stopped;
    backend.activate(instance, options);
    return kActivityDone;
  }
  if (activity == "reload" && steps.reload) {
    if (backend.status(instance, options).state != RunState::Running) return kReloadNotRunning;
    return steps.reload(instance, options);
  }
  if (activity == "status") return report_status(instance, backend.status(instance, options));
  return unknown_activity(
      backend.name, activity,
      steps.reload ? "start, stop, restart, reload and status" : "start, stop, restart and status");
}

int run_activity(const Backend& backend, const DeployedInstance& instance,
                 const std::string& activity, const DeployOptions& options) {
  return activity_exit_status([&] { return dispatch(backend, instance, activity, options); });
}

}  // namespace nixproc
