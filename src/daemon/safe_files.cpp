#include "daemon/safe_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nixproc::daemon {

namespace {

std::string error_text() {
  return std::strerror(errno);
}

bool same_inode(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

}  // namespace

bool write_all(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

std::string file_kind(const struct stat& info) {
  if (S_ISREG(info.st_mode)) return "a regular file";
  if (S_ISDIR(info.st_mode)) return "a directory";
  if (S_ISLNK(info.st_mode)) return "a symbolic link";
  if (S_ISFIFO(info.st_mode)) return "a FIFO";
  if (S_ISSOCK(info.st_mode)) return "a socket";
  return "a device";
}

SmallFile read_small_file(const std::string& path, size_t limit) {
  SmallFile file;
  if (::lstat(path.c_str(), &file.info) != 0) {
    file.outcome = errno == ENOENT || errno == ENOTDIR ? SmallFile::Missing : SmallFile::Unreadable;
    file.problem = path + ": " + error_text();
    return file;
  }
  if (!S_ISREG(file.info.st_mode)) {
    file.outcome = SmallFile::NotRegular;
    file.problem = path + " is " + file_kind(file.info) + ", not a regular file";
    return file;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  struct stat opened {};
  if (fd < 0 || ::fstat(fd, &opened) != 0 || !S_ISREG(opened.st_mode) ||
      !same_inode(opened, file.info)) {
    // Replaced between the look and the open: whatever it is now, it was
    // not the file looked at.
    file.outcome = fd < 0 && errno == ENOENT ? SmallFile::Missing : SmallFile::Changed;
    file.problem = path + " changed while it was read";
    if (fd >= 0) ::close(fd);
    return file;
  }
  file.info = opened;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      file.outcome = SmallFile::Unreadable;
      file.problem = path + ": " + error_text();
      break;
    }
    if (n == 0) {
      file.outcome = SmallFile::Read;
      break;
    }
    file.content.append(buffer, static_cast<size_t>(n));
    if (file.content.size() > limit) {
      file.outcome = SmallFile::TooLarge;
      file.problem = path + " is larger than " + std::to_string(limit) + " bytes";
      file.content.clear();
      break;
    }
  }
  ::close(fd);
  return file;
}

bool remove_debris(const std::string& path, std::string* problem) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return true;
    *problem = path + ": " + error_text();
    return false;
  }
  if (S_ISREG(info.st_mode)) {
    *problem = path + " is a regular file";
    return false;
  }
  bool removed = S_ISDIR(info.st_mode) ? ::rmdir(path.c_str()) == 0 : ::unlink(path.c_str()) == 0;
  if (removed || errno == ENOENT) return true;
  *problem = path + " is " + file_kind(info) +
             (errno == ENOTEMPTY || errno == EEXIST ? " that is not empty" : ": " + error_text());
  return false;
}

int open_for_append(const std::string& path, mode_t mode, std::string* problem) {
  int fd =
      ::open(path.c_str(),
             O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, mode);
  if (fd < 0) {
    *problem = path + ": " + (errno == ELOOP ? std::string("is a symbolic link") : error_text());
    return -1;
  }
  struct stat info {};
  std::string why;
  if (::fstat(fd, &info) != 0)
    why = error_text();
  else if (!S_ISREG(info.st_mode))
    why = "is " + file_kind(info) + ", not a regular file";
  else if (info.st_uid != ::geteuid())
    why = "belongs to another user (uid " + std::to_string(info.st_uid) + ")";
  else if (info.st_nlink != 1)
    why = "has other hard links";
  if (why.empty()) {
    // Opened without blocking on a FIFO; writes to a regular file may block.
    ::fcntl(fd, F_SETFL, O_APPEND);
    return fd;
  }
  ::close(fd);
  *problem = path + " " + why;
  return -1;
}

bool create_new_file(const std::string& path, const std::string& content, mode_t mode,
                     std::string* problem) {
  int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, mode);
  if (fd < 0) {
    *problem = path + ": " + error_text();
    return false;
  }
  bool written = ::fchmod(fd, mode) == 0 && write_all(fd, content);
  int error = errno;
  ::close(fd);
  if (written) return true;
  ::unlink(path.c_str());
  errno = error;
  *problem = path + ": " + error_text();
  return false;
}

int open_private_directory(const std::string& path, bool create, std::string* problem) {
  if (create && ::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    *problem = "cannot create " + path + ": " + error_text();
    return -1;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    *problem =
        path + ": " +
        (errno == ELOOP || errno == ENOTDIR ? std::string("is not a directory (a symbolic link?)")
                                            : error_text());
    return -1;
  }
  struct stat info {};
  std::string why;
  if (::fstat(fd, &info) != 0)
    why = error_text();
  else if (info.st_uid != ::geteuid())
    why = "belongs to another user (uid " + std::to_string(info.st_uid) + ")";
  else if (info.st_mode & (S_IWGRP | S_IWOTH))
    why = "may be written by other users";
  if (why.empty()) return fd;
  ::close(fd);
  *problem = path + " " + why +
             "; nixproc keeps instance records only where no one else can "
             "change them";
  return -1;
}

}  // namespace nixproc::daemon
