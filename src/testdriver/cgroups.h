#pragma once
// Each machine gets a cgroup of its own in every cgroup hierarchy, below
// nixproc test's, and a cgroup namespace rooted there: what the machine's
// managers create (a systemd user manager's slices, podman's container
// cgroups) stays inside it, and goes when the machine is removed.
#include <sys/types.h>

#include <string>
#include <vector>

namespace nixproc::testdriver {

struct CgroupMount {
  std::string point;    // /sys/fs/cgroup/memory
  std::string type;     // cgroup or cgroup2
  std::string options;  // the mount's data: "memory", "none,name=systemd", ""
  std::string dir;      // the machine's cgroup in it (absolute path)
};

// Creates the machine's cgroups (named `name`) and moves `pid` into them.
// Hierarchies that cannot be written are left out.
std::vector<CgroupMount> create_machine_cgroups(const std::string& name, pid_t pid);

// In the machine, once moved: the hierarchies it has a cgroup `name` in.
std::vector<CgroupMount> joined_cgroups(const std::string& name);

// In the machine (after unshare(CLONE_NEWCGROUP)): mounts each hierarchy
// again over its mount point, so the machine sees its own cgroup as the root.
void mount_machine_cgroups(const std::vector<CgroupMount>& mounts);

// Removes the cgroups once nothing runs in them (children first).
void remove_machine_cgroups(const std::vector<CgroupMount>& mounts);

}  // namespace nixproc::testdriver
