#include "daemon/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace nixproc::daemon {

namespace {

bool is_exactly(uid_t uid, gid_t gid) {
  uid_t real, effective, saved;
  gid_t real_group, effective_group, saved_group;
  return ::getresuid(&real, &effective, &saved) == 0 &&
         ::getresgid(&real_group, &effective_group, &saved_group) == 0 && real == uid &&
         effective == uid && saved == uid && real_group == gid && effective_group == gid &&
         saved_group == gid;
}

}  // namespace

std::string drop_privileges(const std::string& user) {
  struct passwd* entry = user.empty() ? nullptr : ::getpwnam(user.c_str());
  if (!entry) return "Cannot find password entry for user: " + user;
  const uid_t uid = entry->pw_uid;
  const gid_t gid = entry->pw_gid;
  const std::string failure = "Cannot change into user: " + user + " with corresponding group!";
  // An unprivileged process cannot change its groups, but it needs not to.
  if (uid != 0 && ::geteuid() == uid && is_exactly(uid, gid)) return "";
  // Groups first: once the UID is gone, so is the right to change them.
  if (::initgroups(user.c_str(), gid) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)
    return failure;
  if (!is_exactly(uid, gid)) return failure;
  if (uid != 0 && (::setuid(0) == 0 || ::seteuid(0) == 0)) return failure;
  return "";
}

}  // namespace nixproc::daemon
