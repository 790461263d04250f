#pragma once
// disnix: the built-in dependency-based daemon manager, with the semantics of
// Dysnomia's `process` module: a config file names an executable that
// daemonises and the PID file it writes; activation runs the executable,
// deactivation stops the PID (reference sections 3.8, 8.14).
#include "backends/backend.h"

namespace nixproc::disnix {

json translate(const model::ManagedProcess& process, const Context& context);
RenderedInstance render(const RenderInput& input);

extern const Backend backend;

}  // namespace nixproc::disnix
