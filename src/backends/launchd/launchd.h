#pragma once
// launchd (macOS): one property list org.nixos.<name>.plist per instance,
// copied into /Library/LaunchDaemons and loaded with launchctl. launchd has
// no process dependencies (reference sections 3.5, 8.11).
#include "backends/backend.h"

namespace nixproc::launchd {

json translate(const model::ManagedProcess& process, const Context& context);
// The original framework's overrides.launchd shape -> this backend's fields.
json adapt_override(const json& override_value, const std::string& where);
RenderedInstance render(const RenderInput& input);

bool is_started(const DeployedInstance& instance, const DeployOptions& options);
void activate(const DeployedInstance& instance, const DeployOptions& options);
void deactivate(const DeployedInstance& instance, const DeployOptions& options);
int run_activity(const DeployedInstance& instance, const std::string& activity,
                 const DeployOptions& options);
InstanceStatus status(const DeployedInstance& instance, const DeployOptions& options);

extern const Backend backend;

}  // namespace nixproc::launchd
