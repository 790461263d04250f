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

extern const Backend backend;

}  // namespace nixproc::runit
