#pragma once
// cygrunsrv: Windows services through Cygwin. Every instance is a parameter
// file nix-process-<name>-cygrunsrvparams holding the cygrunsrv --install
// options, one per line; a switch installs and starts the service
// nix-process-<name> with them, and stops and removes it again (reference
// sections 3.6, 8.12).
#include "backends/backend.h"

namespace nixproc::cygrunsrv {

json translate(const model::ManagedProcess& process, const Context& context);
// The original framework's overrides.cygrunsrv shape -> this backend's fields.
json adapt_override(const json& override_value, const std::string& where);
RenderedInstance render(const RenderInput& input);

extern const Backend backend;

}  // namespace nixproc::cygrunsrv
