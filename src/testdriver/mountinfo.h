#pragma once
// The mounts of this process's mount namespace, from /proc/self/mountinfo.
#include <string>
#include <vector>

namespace nixproc::testdriver {

struct Mount {
  std::string root;           // the part of the file system it shows ("/", "/..")
  std::string point;          // where it is mounted
  std::string options;        // per-mount options: "rw,nosuid,relatime"
  std::string type;           // "ext4", "cgroup2"
  std::string super_options;  // the file system's options: "rw,memory"
};

// Mount points whose names the kernel escaped (a space, a backslash) are left
// out: nothing here is ours to guess.
std::vector<Mount> read_mounts();

std::vector<std::string> split(const std::string& text, char separator);

}  // namespace nixproc::testdriver
