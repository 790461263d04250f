#include "compat/link.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "util/error.h"
#include "util/fs.h"
#include "util/quote.h"

namespace nixproc::compat {

std::string link_checkout(const std::string& checkout, const std::string& compat_tree) {
  if (!fs::is_directory(compat_tree))
    throw Error("nixproc's compatibility tree " + quote(compat_tree) +
                " is missing; reinstall nixproc");
  if (!fs::is_directory(checkout)) throw Error(quote(checkout) + " is not a directory");
  const std::string folder = checkout + "/nixproc";
  const std::string aside = folder + ".orig";
  const std::string target = fs::real_path(compat_tree);
  if (fs::is_symlink(folder)) {
    if (fs::exists(folder) && fs::real_path(folder) == target)
      return quote(folder) + " already points at " + target;
    throw Error(quote(folder) + " is a symlink to somewhere else; remove it first");
  }
  if (!fs::is_directory(folder + "/create-managed-process"))
    throw Error(quote(checkout) +
                " does not look like a checkout of nix-processmgmt (it has no "
                "nixproc/create-managed-process folder)");
  if (fs::lexists(aside))
    throw Error(quote(aside) + " exists already (from an earlier link?); move it away first");
  if (::rename(folder.c_str(), aside.c_str()) != 0)
    throw Error("cannot move " + quote(folder) + " to " + quote(aside) + ": " +
                std::strerror(errno));
  if (::symlink(target.c_str(), folder.c_str()) != 0) {
    std::string reason = std::strerror(errno);
    ::rename(aside.c_str(), folder.c_str());  // put it back: change nothing
    throw Error("cannot create the symlink " + quote(folder) + ": " + reason);
  }
  return quote(folder) + " now points at " + target + "; the original is " + quote(aside) +
         " (to undo: rm " + folder + " && mv " + aside + " " + folder + ")";
}

}  // namespace nixproc::compat
