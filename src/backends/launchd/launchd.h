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

extern const Backend backend;

}  // namespace nixproc::launchd
