#pragma once
// A structural check of an s6-rc source directory, before s6-rc-compile sees
// it (and where s6-rc-compile is not installed): every definition has a
// known type and the files that type needs, every name it refers to exists,
// producer/consumer pairs agree, and dependencies have no cycle.
#include <string>
#include <vector>

namespace nixproc::s6rc {

// One line per problem; empty when the directory is fine.
std::vector<std::string> source_problems(const std::string& dir);

}  // namespace nixproc::s6rc
