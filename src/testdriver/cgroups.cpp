#include "testdriver/cgroups.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "testdriver/mountinfo.h"
#include "util/fs.h"

namespace nixproc::testdriver {

namespace {

struct Hierarchy {
  std::string point, type, options, root;
};

std::vector<Hierarchy> hierarchies() {
  std::vector<Hierarchy> found;
  for (const auto& mount : read_mounts()) {
    if (mount.type != "cgroup" && mount.type != "cgroup2") continue;
    std::string options;
    for (const auto& option : split(mount.super_options, ','))
      if (option != "rw" && option != "ro") options += (options.empty() ? "" : ",") + option;
    found.push_back({mount.point, mount.type, options, mount.root});
  }
  return found;
}

// The controllers a v1 hierarchy's options name ("cpu", "name=systemd").
std::vector<std::string> controllers(const std::string& options) {
  std::vector<std::string> names;
  for (const auto& option : split(options, ','))
    if (option.find('=') == std::string::npos || option.rfind("name=", 0) == 0)
      if (option != "xattr" && option != "noprefix" && option != "clone_children" &&
          option != "nsdelegate" && option != "memory_recursiveprot" && option != "none")
        names.push_back(option);
  return names;
}

// Our own cgroup in a hierarchy, from /proc/self/cgroup.
std::string own_cgroup(const Hierarchy& hierarchy) {
  std::ifstream self("/proc/self/cgroup");
  std::string line;
  auto wanted = controllers(hierarchy.options);
  while (std::getline(self, line)) {
    auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string names = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    if (hierarchy.type == "cgroup2" ? names.empty() : split(names, ',') == wanted) return path;
  }
  return "";
}

// Where a cgroup of the hierarchy is: its mount shows it from `root` down.
std::string dir_in(const Hierarchy& hierarchy, std::string cgroup) {
  if (hierarchy.root != "/" && cgroup.rfind(hierarchy.root, 0) == 0)
    cgroup = cgroup.substr(hierarchy.root.size());
  return hierarchy.point + (cgroup == "/" ? "" : cgroup);
}

// What mounting the hierarchy again takes: a named one needs "none".
std::string mount_options(const Hierarchy& hierarchy) {
  std::string options = hierarchy.options;
  if (hierarchy.type == "cgroup" && options.find("name=") != std::string::npos &&
      options.find("none") == std::string::npos)
    options = "none," + options;
  return options;
}

}  // namespace

std::vector<CgroupMount> create_machine_cgroups(const std::string& name, pid_t pid) {
  std::vector<CgroupMount> made;
  for (const auto& hierarchy : hierarchies()) {
    if (hierarchy.type == "cgroup" && controllers(hierarchy.options).empty()) continue;
    std::string own = own_cgroup(hierarchy);
    if (own.empty()) continue;
    std::string dir = dir_in(hierarchy, own) + "/" + name;
    if (::mkdir(dir.c_str(), 0755) != 0) continue;
    std::ofstream procs(dir + "/cgroup.procs");
    procs << pid << "\n";
    procs.close();
    if (!procs) {
      ::rmdir(dir.c_str());
      continue;
    }
    made.push_back({hierarchy.point, hierarchy.type, mount_options(hierarchy), dir});
  }
  return made;
}

std::vector<CgroupMount> joined_cgroups(const std::string& name) {
  std::vector<CgroupMount> joined;
  for (const auto& hierarchy : hierarchies()) {
    std::string own = own_cgroup(hierarchy);
    if (own.size() > name.size() &&
        own.compare(own.size() - name.size() - 1, std::string::npos, "/" + name) == 0)
      joined.push_back(
          {hierarchy.point, hierarchy.type, mount_options(hierarchy), dir_in(hierarchy, own)});
  }
  return joined;
}

void mount_machine_cgroups(const std::vector<CgroupMount>& mounts) {
  // The machine's own cgroup over the hierarchy's mount point (mounting the
  // hierarchy again, which would show the namespace's root, is refused
  // where the hierarchy is mounted already).
  for (const auto& mount : mounts)
    if (::mount(mount.dir.c_str(), mount.point.c_str(), nullptr, MS_BIND, nullptr) != 0)
      std::fprintf(stderr, "nixproc test: cannot mount the machine's cgroup %s on %s: %s\n",
                   mount.dir.c_str(), mount.point.c_str(), std::strerror(errno));
}

static void remove_below(const std::string& dir) {
  std::vector<std::string> entries;
  try {
    entries = fs::list_directory(dir);
  } catch (...) {
    return;
  }
  for (const auto& entry : entries)
    if (fs::is_directory(dir + "/" + entry) && !fs::is_symlink(dir + "/" + entry))
      remove_below(dir + "/" + entry);
  // The kernel may take a moment to let go of a cgroup whose last process
  // has just been reaped.
  for (int attempt = 0; ::rmdir(dir.c_str()) != 0 && errno == EBUSY && attempt < 40; ++attempt)
    ::usleep(25 * 1000);
}

void remove_machine_cgroups(const std::vector<CgroupMount>& mounts) {
  for (const auto& mount : mounts) remove_below(mount.dir);
}

}  // namespace nixproc::testdriver
