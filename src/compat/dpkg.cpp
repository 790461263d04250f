#include "compat/dpkg.h"

#include <sstream>

#include "util/error.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace nixproc::compat {

std::map<std::string, std::string> parse_installed(const std::string& output) {
  std::map<std::string, std::string> installed;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    auto first = line.find('\t');
    auto second = first == std::string::npos ? first : line.find('\t', first + 1);
    if (second == std::string::npos) continue;
    if (line.substr(0, first) != "install ok installed") continue;
    std::string package = line.substr(first + 1, second - first - 1);
    if (auto colon = package.find(':'); colon != std::string::npos) package.erase(colon);
    installed[package] = line.substr(second + 1);
  }
  return installed;
}

std::map<std::string, std::string> installed_packages() {
  if (find_executable("dpkg-query").empty())
    throw Error(
        "dpkg-query is missing: `nixproc compat gen-pkgs` reads the package lists of dpkg "
        "(Debian and its derivatives)");
  RunResult result =
      run({"dpkg-query", "-W", "-f", "${Status}\\t${Package}\\t${Version}\\n"}, capturing());
  if (!result.ok()) throw Error("dpkg-query -W " + result.describe() + ": " + result.err);
  return parse_installed(result.out);
}

std::vector<std::string> package_files(const std::string& package, const std::string& info_dir) {
  std::string list = info_dir + "/" + package + ".list";
  if (!fs::exists(list)) {
    list.clear();
    std::string prefix = package + ":";
    for (const auto& name : fs::list_directory(info_dir)) {
      if (name.rfind(prefix, 0) == 0 && name.size() > 5 &&
          name.compare(name.size() - 5, 5, ".list") == 0) {
        list = info_dir + "/" + name;
        break;
      }
    }
    if (list.empty()) return {};
  }
  std::vector<std::string> files;
  std::istringstream lines(fs::read_file(list));
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) files.push_back(line);
  return files;
}

}  // namespace nixproc::compat
