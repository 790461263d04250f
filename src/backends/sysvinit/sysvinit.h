#pragma once
// sysvinit: LSB init scripts in etc/rc.d/init.d with rc<N>.d S/K links whose
// sequence numbers follow the dependencies (reference sections 3.1, 4, 8.5).
#include "backends/backend.h"

namespace nixproc::sysvinit {

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

}  // namespace nixproc::sysvinit
