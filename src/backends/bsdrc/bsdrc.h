#pragma once
// bsdrc: FreeBSD rc.d scripts (etc/rc.d/<name>) that source rc.subr and are
// ordered by rcorder through their PROVIDE/REQUIRE lines. A switch runs them
// with onestart/onestop in dependency order, which is rcorder's order
// (reference sections 3.2, 8.7).
#include "backends/backend.h"

namespace nixproc::bsdrc {

json translate(const model::ManagedProcess& process, const Context& context);
RenderedInstance render(const RenderInput& input);

extern const Backend backend;

}  // namespace nixproc::bsdrc
