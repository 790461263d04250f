#include "daemon/program_search.h"

#include <sys/stat.h>
#include <unistd.h>

namespace nixproc::daemon {

std::vector<std::string> program_candidates(const std::string& program,
                                            const std::string& search_path) {
  if (program.empty()) return {};
  if (program.find('/') != std::string::npos) return {program};
  std::vector<std::string> candidates;
  size_t start = 0;
  while (start <= search_path.size()) {
    size_t end = search_path.find(':', start);
    if (end == std::string::npos) end = search_path.size();
    // An empty element would mean the working directory: not for daemons.
    if (end > start) candidates.push_back(search_path.substr(start, end - start) + "/" + program);
    start = end + 1;
  }
  return candidates;
}

std::string first_executable(const std::vector<std::string>& candidates) {
  for (const auto& candidate : candidates) {
    struct stat st;
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
  }
  return "";
}

}  // namespace nixproc::daemon
