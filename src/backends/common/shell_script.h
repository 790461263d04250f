#pragma once
// Pieces of generated shell scripts, with every value quoted for the shell.
#include <map>
#include <string>
#include <vector>

namespace nixproc {

// "export NAME='value'" lines in name order; PATH keeps the system PATH after
// the given one (reference section 2.2).
std::string shell_exports(const std::map<std::string, std::string>& environment);

// A command line: words quoted, joined by spaces.
std::string command_line(const std::vector<std::string>& words);

}  // namespace nixproc
