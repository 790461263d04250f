#pragma once
// How a host package appears as pkgs.<attr>: its prefix ("/usr") when all its
// executables lie in one <prefix>/bin, else a link farm with $out/bin/<exe>
// (nginx is /usr/sbin/nginx on Debian; models say "${nginx}/bin/nginx").
#include <string>
#include <vector>

#include "compat/package_table.h"

namespace nixproc::compat {

struct HostLayout {
  std::string prefix;       // set: the package is this prefix
  std::vector<Link> links;  // otherwise: the link farm's links
  bool operator==(const HostLayout&) const = default;
};

// Whether `path` (from a package's file list) is where executables go: a
// file in a bin, sbin or games directory, or directly in a libexec one.
bool in_executable_dir(const std::string& path);

// /bin/x -> /usr/bin/x and the like on a merged-/usr system, so that one
// package's files are compared under one name.
std::string usr_merged(const std::string& path);

// The decision, over the package's executables (merged paths, existing,
// executable) and the table's extra links (which always need a farm). A
// name found twice is taken from the first directory in the order bin,
// sbin, others. The farm also links share, lib and etc from the host.
HostLayout decide_layout(const std::vector<std::string>& executables,
                         const std::vector<Link>& extra_links);

}  // namespace nixproc::compat
