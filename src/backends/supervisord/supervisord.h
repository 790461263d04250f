#pragma once
// supervisord: every instance is a [program:<name>] section in conf.d/, run
// by one supervisord per state directory that nixproc starts when none runs.
// supervisorctl update adds, changes and removes one program at a time, so
// unchanged programs keep their PIDs (reference sections 3.3, 8.8, 8.9).
#include "backends/backend.h"

namespace nixproc::supervisord {

json translate(const model::ManagedProcess& process, const Context& context);
// The original framework's overrides.supervisord shape -> this backend's fields.
json adapt_override(const json& override_value, const std::string& where);
RenderedInstance render(const RenderInput& input);
// supervisord.conf at the top of a profile, for `supervisord -c` on the
// profile itself (the stateless way).
std::vector<RenderedFile> profile_files(const Context& context,
                                        const std::vector<const json*>& instance_infos);

extern const Backend backend;

}  // namespace nixproc::supervisord
