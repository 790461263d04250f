#pragma once
// runit: every instance is a service directory (run script, log/run with
// svlogd) supervised by runsv, one runsvdir per state directory watching a
// scan directory of links. nixproc starts runsvdir when none runs, links a
// service in to start it and unlinks it to stop it, so unchanged services
// keep their runsv and their PIDs; it stops runsvdir with the last service.
#include "backends/backend.h"

namespace nixproc::runit {

json translate(const model::ManagedProcess& process, const Context& context);
RenderedInstance render(const RenderInput& input);

bool is_started(const DeployedInstance& instance, const DeployOptions& options);
void activate(const DeployedInstance& instance, const DeployOptions& options);
void deactivate(const DeployedInstance& instance, const DeployOptions& options);
void confirm(const DeployedInstance& instance, const DeployOptions& options);
int run_activity(const DeployedInstance& instance, const std::string& activity,
                 const DeployOptions& options);
InstanceStatus status(const DeployedInstance& instance, const DeployOptions& options);

extern const Backend backend;

}  // namespace nixproc::runit
