#pragma once
// systemd: one unit nix-process-<name>.service per instance, with Wants= and
// After= for its dependencies, linked into the unit directory of the system
// or the user's manager and started with systemctl (reference sections 3.4,
// 8.10).
#include "backends/backend.h"

namespace nixproc::systemd {

json translate(const model::ManagedProcess& process, const Context& context);
RenderedInstance render(const RenderInput& input);

bool is_started(const DeployedInstance& instance, const DeployOptions& options);
void activate(const DeployedInstance& instance, const DeployOptions& options);
void deactivate(const DeployedInstance& instance, const DeployOptions& options);
int run_activity(const DeployedInstance& instance, const std::string& activity,
                 const DeployOptions& options);
InstanceStatus status(const DeployedInstance& instance, const DeployOptions& options);
void prepare(const DeployedProfile& profile, const DeployOptions& options);

// "nix-process-<name>.service"
std::string unit_name(const std::string& process_name);

extern const Backend backend;

}  // namespace nixproc::systemd
