#include "backends/s6rc/execline.h"

#include <cstdlib>

#include "daemon/program_search.h"

namespace nixproc::s6rc {

std::string execline_quote(const std::string& word) {
  std::string quoted = "\"";
  for (char c : word) {
    if (c == '\\' || c == '"') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string execline_words(const std::vector<std::string>& words) {
  std::string line;
  for (const auto& word : words) line += (line.empty() ? "" : " ") + execline_quote(word);
  return line;
}

std::string execline_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string search = std::string("/usr/lib/execline/bin:") + (path ? path : "/usr/bin:/bin");
  std::string found = daemon::first_executable(daemon::program_candidates(name, search));
  return found.empty() ? name : found;
}

std::string execline_shebang() {
  return "#!" + execline_program("execlineb") + " -P\n";
}

}  // namespace nixproc::s6rc
