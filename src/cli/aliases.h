#pragma once
// The original framework's command names (nixproc-sysvinit-switch,
// nixproc-build, ...), which work as aliases through argv[0]. The table is
// cli/aliases.def.
#include <string>
#include <vector>

namespace nixproc::cli {

// The arguments nixproc runs with when called as `program` (a basename):
// `args` after the words of the first alias that matches it, or `args` as
// they are when none does.
std::vector<std::string> expand_alias(const std::string& program, std::vector<std::string> args);

}  // namespace nixproc::cli
