#pragma once
// systemd: one unit nix-process-<name>.service per instance, with Wants= and
// After= for its dependencies, linked into the unit directory of the system
// or the user's manager and started with systemctl (reference sections 3.4,
// 8.10).
#include "backends/backend.h"

namespace nixproc::systemd {

json translate(const model::ManagedProcess& process, const Context& context);
RenderedInstance render(const RenderInput& input);

// "nix-process-<name>.service"
std::string unit_name(const std::string& process_name);

extern const Backend backend;

}  // namespace nixproc::systemd
