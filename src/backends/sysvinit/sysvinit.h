#pragma once
// sysvinit: LSB init scripts in etc/rc.d/init.d with rc<N>.d S/K links whose
// sequence numbers follow the dependencies (reference sections 3.1, 4, 8.5).
#include "backends/backend.h"

namespace nixproc::sysvinit {

json translate(const model::ManagedProcess& process, const Context& context);
RenderedInstance render(const RenderInput& input);

extern const Backend backend;

}  // namespace nixproc::sysvinit
