#include "deploy/claim_files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "util/error.h"
#include "util/fs.h"
#include "util/names.h"

namespace nixproc {

namespace {

// Claim files are small; a bigger one is not a claim nixproc wrote.
constexpr size_t kLargestClaim = 64 * 1024;

std::string temporary_name() {
  static std::atomic<unsigned> counter{0};
  return ".new-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

// Reads the open file `fd` (and closes it) if it is a regular file of at
// most `limit` bytes.
std::optional<std::string> read_if_regular(int fd, size_t limit) {
  struct stat st;
  std::optional<std::string> content;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) <= limit) {
    content.emplace();
    char buffer[65536];
    ssize_t n;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR))
      if (n > 0) content->append(buffer, static_cast<size_t>(n));
    if (n < 0) content.reset();
  }
  ::close(fd);
  return content;
}

// Claim files are named after instances; nothing else may reach openat.
const std::string& checked(const std::string& name) {
  if (!is_valid_name(name))
    throw Error("cannot claim instance name \"" + name + "\": " + invalid_name_reason(name));
  return name;
}

}  // namespace

std::string read_regular_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw Error("cannot read " + path + ": " + fs::errno_text());
  auto content = read_if_regular(fd, static_cast<size_t>(-1));
  if (!content) throw Error("cannot read " + path + ": not a readable regular file");
  return *content;
}

ClaimFiles::ClaimFiles(const std::string& dir, bool create) : dir_(dir) {
  if (create) {
    fs::make_directories(fs::dirname(dir));
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
      throw Error("cannot create directory " + dir + ": " + fs::errno_text());
  }
  fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd_ < 0 && !create && errno == ENOENT) return;
  if (fd_ < 0)
    throw Error("cannot open the claims directory " + dir + ": " + fs::errno_text() +
                (errno == ELOOP || errno == ENOTDIR ? " (it must be a real directory)" : ""));
}

ClaimFiles::~ClaimFiles() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
  if (fd_ >= 0) ::close(fd_);
}

void ClaimFiles::lock() {
  if (fd_ < 0 || lock_fd_ >= 0) return;
  int flags = O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
  lock_fd_ = ::openat(fd_, ".lock", O_RDWR | O_CREAT | flags, 0644);
  if (lock_fd_ < 0 && errno == EACCES) lock_fd_ = ::openat(fd_, ".lock", O_RDONLY | flags);
  if (lock_fd_ < 0 && errno == EACCES) return;
  struct stat st;
  if (lock_fd_ < 0 || ::fstat(lock_fd_, &st) != 0 || !S_ISREG(st.st_mode))
    throw Error("cannot lock the claims directory " + dir_ + ": " + dir_ +
                "/.lock is not a regular file nixproc can open");
  while (::flock(lock_fd_, LOCK_EX) != 0)
    if (errno != EINTR) throw Error("cannot lock " + dir_ + "/.lock: " + fs::errno_text());
}

std::optional<std::string> ClaimFiles::read(const std::string& name) const {
  if (fd_ < 0) return std::nullopt;
  int fd = ::openat(fd_, checked(name).c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return std::nullopt;
  if (fd < 0) return std::string();  // a symlink, or unreadable
  return read_if_regular(fd, kLargestClaim).value_or("");
}

void ClaimFiles::write(const std::string& name, const std::string& content) {
  const std::string& target = checked(name);
  std::string temporary = temporary_name();
  int fd =
      ::openat(fd_, temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("cannot write a claim in " + dir_ + ": " + fs::errno_text());
  bool written =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  std::string reason = fs::errno_text();
  ::close(fd);
  if (written && ::renameat(fd_, temporary.c_str(), fd_, target.c_str()) == 0) {
    ::fsync(fd_);
    return;
  }
  if (written) reason = fs::errno_text();
  ::unlinkat(fd_, temporary.c_str(), 0);
  throw Error("cannot write the claim " + dir_ + "/" + name + ": " + reason);
}

void ClaimFiles::remove(const std::string& name) {
  if (fd_ < 0) return;
  if (::unlinkat(fd_, checked(name).c_str(), 0) != 0 && errno != ENOENT)
    throw Error("cannot remove the claim " + dir_ + "/" + name + ": " + fs::errno_text());
  ::fsync(fd_);
}

}  // namespace nixproc
