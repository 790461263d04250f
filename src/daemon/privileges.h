#pragma once
#include <string>

namespace nixproc::daemon {

// Becomes `user` with its primary group and all its supplementary groups
// (initgroups), then checks that root cannot be regained. Returns an empty
// string on success, otherwise the reason.
std::string drop_privileges(const std::string& user);

}  // namespace nixproc::daemon
