#pragma once
#include <string>

namespace nixproc::daemon {

// Becomes `user`: its supplementary groups (initgroups), its primary group,
// then its UID, and checks that root cannot be regained. Returns "" on
// success, otherwise one of
//   "Cannot find password entry for user: <user>"
//   "Cannot change into user: <user> with corresponding group!"
// A process that already is `user` (and not root) succeeds without change.
std::string drop_privileges(const std::string& user);

}  // namespace nixproc::daemon
