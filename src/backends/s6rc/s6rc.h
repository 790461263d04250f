#pragma once
// s6-rc: every instance is an s6-rc service definition in etc/s6/sv of the
// profile — a foreground process a longrun with an s6-log companion
// (<name>-srv and <name>-log in a pipeline bundle <name>), a daemon-only
// process a oneshot — and the profile's `default` bundle holds them all. A
// switch compiles the profile into a database (s6-rc-compile), makes it the
// live one (s6-rc-init the first time, s6-rc-update after) and brings
// services up and down with s6-rc. Scripts are execline.
#include "backends/backend.h"

namespace nixproc::s6rc {

json translate(const model::ManagedProcess& process, const Context& context);
RenderedInstance render(const RenderInput& input);
std::vector<RenderedFile> profile_files(const Context& context,
                                        const std::vector<const json*>& instance_infos);

extern const Backend backend;

// The s6-rc source directory of a profile, relative to it.
inline constexpr const char* kSourceDir = "etc/s6/sv";
// The bundle of everything (reference 3.7: defaultBundleName).
inline constexpr const char* kDefaultBundle = "default";

}  // namespace nixproc::s6rc
