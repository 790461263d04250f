#include "testdriver/mountinfo.h"

#include <fstream>
#include <sstream>

namespace nixproc::testdriver {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

std::vector<Mount> read_mounts() {
  std::vector<Mount> mounts;
  std::ifstream mountinfo("/proc/self/mountinfo");
  std::string line;
  while (std::getline(mountinfo, line)) {
    // id parent major:minor root point options [optional fields] - type source super-options
    auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    auto before = split(line.substr(0, dash), ' ');
    auto after = split(line.substr(dash + 3), ' ');
    if (before.size() < 6 || after.size() < 3) continue;
    if (before[4].find('\\') != std::string::npos) continue;
    mounts.push_back({before[3], before[4], before[5], after[0], after[2]});
  }
  return mounts;
}

}  // namespace nixproc::testdriver
