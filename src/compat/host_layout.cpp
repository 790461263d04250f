#include "compat/host_layout.h"

#include <algorithm>
#include <set>

#include "util/fs.h"

namespace nixproc::compat {

namespace {

int directory_rank(const std::string& dir) {
  std::string name = fs::basename(dir);
  if (dir == "/usr/local/bin") return 0;
  if (dir == "/usr/bin") return 1;
  if (name == "bin") return 2;
  if (name == "sbin") return 3;
  return 4;
}

}  // namespace

bool in_executable_dir(const std::string& path) {
  std::string dir = fs::dirname(path);
  std::string name = fs::basename(dir);
  return name == "bin" || name == "sbin" || name == "games" || name == "libexec";
}

std::string usr_merged(const std::string& path) {
  for (const char* top : {"/bin/", "/sbin/", "/lib/", "/lib64/"})
    if (path.rfind(top, 0) == 0) return "/usr" + path;
  return path;
}

HostLayout decide_layout(const std::vector<std::string>& executables,
                         const std::vector<Link>& extra_links) {
  std::set<std::string> dirs;
  for (const auto& path : executables) dirs.insert(fs::dirname(path));
  if (extra_links.empty()) {
    if (dirs.empty()) return {"/usr", {}};
    if (dirs.size() == 1 && fs::basename(*dirs.begin()) == "bin")
      return {fs::dirname(*dirs.begin()), {}};
  }
  std::vector<std::string> ordered = executables;
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    return directory_rank(fs::dirname(a)) < directory_rank(fs::dirname(b));
  });
  HostLayout layout;
  std::set<std::string> taken;
  for (const auto& link : extra_links) {
    layout.links.push_back(link);
    taken.insert(link.path);
  }
  for (const auto& path : ordered) {
    std::string link = "bin/" + fs::basename(path);
    if (taken.insert(link).second) layout.links.push_back({link, path});
  }
  for (const char* dir : {"share", "lib", "etc"}) {
    std::string link = dir;
    if (taken.count(link)) continue;
    layout.links.push_back({link, link == "etc" ? "/etc" : "/usr/" + link});
  }
  return layout;
}

}  // namespace nixproc::compat
