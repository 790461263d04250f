#pragma once
// Small filesystem helpers that turn failures into nixproc::Error with the path
// and the system's reason, so callers can report them as they are.
#include <sys/types.h>

#include <string>
#include <vector>

namespace nixproc::fs {

bool exists(const std::string& path);   // follows symlinks
bool lexists(const std::string& path);  // does not follow symlinks
bool is_directory(const std::string& path);
bool is_symlink(const std::string& path);

std::string read_file(const std::string& path);

// Files a user names (models, ids files, configs) and nixproc's own records
// that someone may have replaced: only regular files up to this size are read,
// since a FIFO blocks the reader and /dev/zero never ends.
inline constexpr size_t kMaxInputFileBytes = size_t{256} << 20;
// Throws unless `path` is a regular file (symlinks followed) of at most
// `max_bytes`; `what` starts the message ("processes model").
void check_input_file(const std::string& path, const std::string& what,
                      size_t max_bytes = kMaxInputFileBytes);
// check_input_file, then the content; the file is opened without blocking and
// checked again once open, so a FIFO swapped in meanwhile cannot hang us.
std::string read_input_file(const std::string& path, const std::string& what,
                            size_t max_bytes = kMaxInputFileBytes);
// Writes to a temporary file beside `path` and renames it into place, so a crash
// never leaves a half-written file under the final name. With `sync` the data is
// fsynced first; bulk writers pass false and call sync_filesystem() once instead.
void write_file_atomic(const std::string& path, const std::string& content, mode_t mode = 0644,
                       bool sync = true);
// Creates a new file (it must not exist) with `content`; no rename, no sync.
void write_new_file(const std::string& path, const std::string& content, mode_t mode);
// Flushes the filesystem holding `path` (one syncfs instead of many fsyncs).
void sync_filesystem(const std::string& path);
void make_directories(const std::string& path, mode_t mode = 0755);
// Removes a file or a whole tree; makes read-only directories writable first.
void remove_tree(const std::string& path);

std::string read_link(const std::string& path);
// Points `link` at `target`, replacing what is there atomically (rename).
void replace_symlink(const std::string& target, const std::string& link);
std::string real_path(const std::string& path);
std::string absolute_path(const std::string& path);
std::string dirname(const std::string& path);
std::string basename(const std::string& path);

// Names in a directory, sorted, without "." and "..". Missing directory: empty.
std::vector<std::string> list_directory(const std::string& path);

std::string errno_text();

// The last `lines` lines of a file, or "" when it is missing (for error
// messages that quote a log).
std::string tail_of(const std::string& file, size_t lines);

}  // namespace nixproc::fs
