#pragma once
// Writing execline scripts (s6-rc's run, up and down files). execlineb
// splits words itself: a double-quoted word may hold anything but NUL once
// `\` and `"` are escaped; with -P nothing is substituted, so `$`, `%`, `{`,
// `#` and newlines inside quotes reach the program as they are.
#include <string>
#include <vector>

namespace nixproc::s6rc {

std::string execline_quote(const std::string& word);

// The words, quoted, separated by spaces.
std::string execline_words(const std::vector<std::string>& words);

// An execline or s6 program by absolute path: Debian keeps execline's
// commands in /usr/lib/execline/bin, off the PATH supervisors run with.
std::string execline_program(const std::string& name);

// "#!<execlineb> -P\n"
std::string execline_shebang();

}  // namespace nixproc::s6rc
