#include "daemon/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace nixproc::daemon {

std::string drop_privileges(const std::string& user) {
  struct passwd* entry = ::getpwnam(user.c_str());
  if (!entry) return "Cannot find password entry for user: " + user;
  uid_t uid = entry->pw_uid;
  gid_t gid = entry->pw_gid;
  if (::initgroups(user.c_str(), gid) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)
    return "Cannot change into user: " + user + " with corresponding group!";
  if (uid != 0 && (::setuid(0) == 0 || ::seteuid(0) == 0))
    return "Cannot change into user: " + user + " (root could be regained)";
  return "";
}

}  // namespace nixproc::daemon
