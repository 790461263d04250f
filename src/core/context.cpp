#include "core/context.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace nixproc {

std::string current_user_name() {
  if (struct passwd* entry = ::getpwuid(::geteuid())) return entry->pw_name;
  return std::to_string(::geteuid());
}

std::string current_group_name() {
  if (struct group* entry = ::getgrgid(::getegid())) return entry->gr_name;
  return std::to_string(::getegid());
}

}  // namespace nixproc
