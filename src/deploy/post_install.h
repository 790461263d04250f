#pragma once
// postInstall, the original framework's way to add files to a process's
// package ($out/etc/...): run with $out an empty directory when the profile
// is built; the files it leaves become files of the profile at the same
// relative paths.
#include <string>
#include <vector>

#include "backends/backend.h"

namespace nixproc {

// Runs `script` with `sh -e` in a fresh directory below `work_parent` and
// returns the files it made (regular files, symlinks to them followed).
// Throws nixproc::Error naming `where` when the script fails or leaves
// something that is not a regular file or directory.
std::vector<RenderedFile> run_post_install(const std::string& script,
                                           const std::string& work_parent,
                                           const std::string& where);

}  // namespace nixproc
