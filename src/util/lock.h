#pragma once
#include <string>

namespace nixproc {

// An exclusive advisory lock (flock) on a file, held while the object lives.
// The kernel drops it when the process dies, so a crash never leaves it held.
class FileLock {
 public:
  // Throws nixproc::Error if another process holds the lock and `wait` is false.
  // A shared lock only excludes exclusive holders.
  FileLock(const std::string& path, bool wait, const std::string& what, bool shared = false);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace nixproc
