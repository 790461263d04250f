#pragma once
// Files in places other users may write (/tmp, a model's pidFile anywhere):
// opened without following a symlink at the path, without blocking on a
// FIFO, and trusted only when they are regular files owned by someone who
// may speak for the process they name. What nixproc itself keeps (instance
// records) goes in directories only its user can write.
#include <sys/stat.h>
#include <sys/types.h>

#include <string>
#include <vector>

namespace nixproc::daemon {

struct SmallFile {
  // Changed: replaced (renamed over) between the look and the open; reading
  // again sees the new file.
  enum Outcome { Read, Missing, NotRegular, TooLarge, Unreadable, Changed } outcome = Missing;
  std::string content;  // Read: the whole file
  struct stat info {};  // what lstat saw (not for Missing)
  std::string problem;  // why it was not read, for messages
};

// Reads the regular file at `path`, at most `limit` bytes. A symlink, FIFO,
// directory, socket or device at `path` is NotRegular and never opened in a
// way that follows or blocks.
SmallFile read_small_file(const std::string& path, size_t limit = 4096);

// "a symbolic link", "a FIFO", "a directory", ... for messages.
std::string file_kind(const struct stat& info);

// Removes a symlink, FIFO, socket, device node or empty directory at `path`:
// what can only be debris where a regular file belongs. True when nothing
// of that kind is left there; false, with `problem` set, for anything else
// (a regular file, a non-empty directory) or a failed removal.
bool remove_debris(const std::string& path, std::string* problem);

// Opens `path` for appending (created with `mode` when missing), refusing a
// symlink, a FIFO or anything else that is not a regular file, a file owned
// by another user than this process's, and a file with other hard links.
// Returns the fd (close-on-exec), or -1 with `problem` set.
int open_for_append(const std::string& path, mode_t mode, std::string* problem);

// Writes all of `text` to `fd`, retrying after signals; false on an error.
bool write_all(int fd, const std::string& text);

// Creates `path` anew (O_EXCL, never through a symlink) with `content` and
// exactly `mode`. False with `problem` set (errno EEXIST when it exists).
bool create_new_file(const std::string& path, const std::string& content, mode_t mode,
                     std::string* problem);

// Opens the directory `path`, creating it (mode 0755) when missing and
// `create` is set, only if it is no symlink, is owned by this process's
// user and no one else may write it. Returns the fd (O_DIRECTORY,
// close-on-exec) or -1 with `problem` set.
int open_private_directory(const std::string& path, bool create, std::string* problem);

}  // namespace nixproc::daemon
