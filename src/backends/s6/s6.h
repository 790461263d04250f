#pragma once
// s6: every instance is an s6 service directory (run script, log/run with
// s6-log) supervised by s6-supervise, under one s6-svscan per state
// directory watching a scan directory of links. nixproc starts s6-svscan when
// none runs, links a service in to start it and unlinks it to stop it, so
// unchanged services keep their supervisors and PIDs; a daemon-only process
// reports readiness through the notification fd; s6-svscan stops with the
// last service.
#include "backends/backend.h"

namespace nixproc::s6 {

json translate(const model::ManagedProcess& process, const Context& context);
RenderedInstance render(const RenderInput& input);

extern const Backend backend;

}  // namespace nixproc::s6
