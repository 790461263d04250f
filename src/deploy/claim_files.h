#pragma once
// The files of a claims directory, handled so that a planted file cannot
// mislead root: the directory is opened without following a symlink, every
// file in it is opened relative to it with O_NOFOLLOW and O_NONBLOCK and
// read only when it is a regular file, and a claim is written to a new file
// that is renamed into place (so nothing that was there is written through).
#include <optional>
#include <string>

namespace nixproc {

// The content of the regular file at `path`, read without blocking (a FIFO
// or device there is an error, not a hang) and without following a symlink
// in its last component.
std::string read_regular_file(const std::string& path);

class ClaimFiles {
 public:
  // Opens `dir`; with `create`, makes it first (mode 0755: only its owner
  // writes there). Without `create`, a missing directory holds no claims.
  // Throws nixproc::Error for a symlink or anything but a directory.
  ClaimFiles(const std::string& dir, bool create);
  ~ClaimFiles();
  ClaimFiles(const ClaimFiles&) = delete;
  ClaimFiles& operator=(const ClaimFiles&) = delete;

  // Waits for the directory's lock (an flock on its .lock file), held until
  // this object dies. Without write access to the directory it does nothing:
  // then no claim can be written here either.
  void lock();

  // The content of the claim file `name`; nullopt when there is none.
  // Anything but a regular file reads as "" (a claim that holds nothing).
  std::optional<std::string> read(const std::string& name) const;
  void write(const std::string& name, const std::string& content);
  void remove(const std::string& name);

  const std::string& path() const { return dir_; }

 private:
  std::string dir_;
  int fd_ = -1;       // the directory; -1 when it does not exist
  int lock_fd_ = -1;  // the lock file while locked
};

}  // namespace nixproc
