#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "backends/docker/docker.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace nixproc::docker {

namespace {

struct Entry {
  const char* path;
  mode_t mode;          // 0: a symlink
  const char* content;  // files: the content; symlinks: the target; null: a directory
};

// Names and groups every container knows before nixproc adds the process's
// own (the original's runAsRoot step adds nobody and nogroup the same way).
const Entry kEntries[] = {
    {"etc", 0755, nullptr},
    {"etc/passwd", 0644,
     "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"},
    {"etc/group", 0644, "root:x:0:\nnogroup:x:65534:\n"},
    {"etc/shadow", 0640, "root:*:1::::::\nnobody:*:1::::::\n"},
    {"etc/gshadow", 0640, "root:*::\nnogroup:*::\n"},
    {"root", 0700, nullptr},
    {"run", 0755, nullptr},
    {"tmp", 01777, nullptr},
    {"usr", 0755, nullptr},
    {"var", 0755, nullptr},
    {"var/run", 0, "/run"},
    {"bin", 0, "usr/bin"},
    {"sbin", 0, "usr/sbin"},
    {"lib", 0, "usr/lib"},
    {"lib64", 0, "usr/lib64"},
};

std::string make_tarball() {
  char pattern[] = "/tmp/nixproc-rootfs-XXXXXX";
  if (!::mkdtemp(pattern)) throw Error("cannot create a temporary directory: " + fs::errno_text());
  std::string dir = pattern;
  try {
    // mkdtemp made it 0700: the root of every container, which users must traverse.
    if (::chmod(dir.c_str(), 0755) != 0)
      throw Error("cannot set the mode of " + dir + ": " + fs::errno_text());
    for (const Entry& entry : kEntries) {
      std::string path = dir + "/" + entry.path;
      if (entry.mode == 0) {
        fs::replace_symlink(entry.content, path);
        continue;
      }
      if (entry.content)
        fs::write_file_atomic(path, entry.content, entry.mode);
      else
        fs::make_directories(path, entry.mode);
      // Modes exactly as listed, whatever the umask.
      if (::chmod(path.c_str(), entry.mode) != 0)
        throw Error("cannot set the mode of " + path + ": " + fs::errno_text());
    }
    // Fixed order, times and owners: the same archive, so the same store path.
    RunResult result = run({"tar", "--create", "--format=gnu", "--sort=name", "--mtime=@1",
                            "--owner=0", "--group=0", "--numeric-owner", "--directory", dir, "."},
                           capturing());
    if (!result.ok())
      throw Error("cannot make the containers' root file system: tar " + result.describe() + ": " +
                  result.err);
    fs::remove_tree(dir);
    return result.out;
  } catch (...) {
    fs::remove_tree(dir);
    throw;
  }
}

}  // namespace

const std::string& root_filesystem_tarball() {
  static const std::string tarball = make_tarball();
  return tarball;
}

}  // namespace nixproc::docker
