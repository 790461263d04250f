#include "util/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <random>

#include "util/error.h"

namespace nixproc::fs {

std::string errno_text() {
  return std::strerror(errno);
}

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

bool lexists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

bool is_directory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_symlink(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

// Reads `fd` to its end (at most `max_bytes` + 1 bytes) and closes it.
static std::string read_and_close(int fd, const std::string& path, size_t max_bytes) {
  std::string content;
  char buffer[65536];
  while (content.size() <= max_bytes) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string reason = errno_text();
      ::close(fd);
      throw Error("cannot read " + path + ": " + reason);
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return content;
}

std::string read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error("cannot read " + path + ": " + errno_text());
  return read_and_close(fd, path, std::string().max_size());
}

// Why a file with status `st` is not an input nixproc reads, or "".
static std::string input_file_problem(const struct stat& st, size_t max_bytes) {
  if (S_ISDIR(st.st_mode)) return "is a directory";
  if (S_ISFIFO(st.st_mode)) return "is a FIFO, not a regular file";
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return "is a device, not a regular file";
  if (S_ISSOCK(st.st_mode)) return "is a socket, not a regular file";
  if (!S_ISREG(st.st_mode)) return "is not a regular file";
  if (static_cast<unsigned long long>(st.st_size) > max_bytes)
    return "is larger than " + std::to_string(max_bytes >> 20) + " MiB (" +
           std::to_string(st.st_size) + " bytes)";
  return "";
}

void check_input_file(const std::string& path, const std::string& what, size_t max_bytes) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    throw Error(what + " " + path + (errno == ENOENT ? " does not exist" : ": " + errno_text()));
  if (auto problem = input_file_problem(st, max_bytes); !problem.empty())
    throw Error(what + " " + path + " " + problem);
}

std::string read_input_file(const std::string& path, const std::string& what, size_t max_bytes) {
  check_input_file(path, what, max_bytes);
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) throw Error("cannot read " + what + " " + path + ": " + errno_text());
  struct stat st;
  std::string problem = ::fstat(fd, &st) != 0 ? errno_text() : input_file_problem(st, max_bytes);
  if (!problem.empty()) {
    ::close(fd);
    throw Error(what + " " + path + " " + problem);
  }
  std::string content = read_and_close(fd, path, max_bytes);
  if (content.size() > max_bytes)
    throw Error(what + " " + path + " grew beyond " + std::to_string(max_bytes >> 20) +
                " MiB while it was read");
  return content;
}

static std::string temporary_name(const std::string& path) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(random() % 1000000007);
}

static void write_all(int fd, const std::string& content, const std::string& path) {
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error("cannot write " + path + ": " + errno_text());
    }
    done += static_cast<size_t>(n);
  }
}

void write_file_atomic(const std::string& path, const std::string& content, mode_t mode,
                       bool sync) {
  std::string temporary = temporary_name(path);
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) throw Error("cannot create " + temporary + ": " + errno_text());
  try {
    write_all(fd, content, temporary);
    if (::fchmod(fd, mode) != 0) throw Error("cannot chmod " + temporary + ": " + errno_text());
    if (sync && ::fsync(fd) != 0) throw Error("cannot sync " + temporary + ": " + errno_text());
  } catch (...) {
    ::close(fd);
    ::unlink(temporary.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    std::string reason = errno_text();
    ::unlink(temporary.c_str());
    throw Error("cannot rename " + temporary + " to " + path + ": " + reason);
  }
}

void write_new_file(const std::string& path, const std::string& content, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) throw Error("cannot create " + path + ": " + errno_text());
  try {
    write_all(fd, content, path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

void sync_filesystem(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::syncfs(fd);
  ::close(fd);
}

void make_directories(const std::string& path, mode_t mode) {
  if (path.empty()) return;
  if (is_directory(path)) return;
  std::string parent = dirname(path);
  if (parent != path) make_directories(parent, mode);
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST)
    throw Error("cannot create directory " + path + ": " + errno_text());
  if (!is_directory(path)) throw Error("cannot create directory " + path + ": not a directory");
}

void remove_tree(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
    ::chmod(path.c_str(), st.st_mode | S_IWUSR | S_IXUSR | S_IRUSR);
    for (const auto& name : list_directory(path)) remove_tree(path + "/" + name);
    if (::rmdir(path.c_str()) != 0) throw Error("cannot remove " + path + ": " + errno_text());
  } else if (::unlink(path.c_str()) != 0) {
    throw Error("cannot remove " + path + ": " + errno_text());
  }
}

std::string read_link(const std::string& path) {
  char buffer[PATH_MAX];
  ssize_t n = ::readlink(path.c_str(), buffer, sizeof buffer - 1);
  if (n < 0) throw Error("cannot read link " + path + ": " + errno_text());
  return std::string(buffer, static_cast<size_t>(n));
}

void replace_symlink(const std::string& target, const std::string& link) {
  std::string temporary = temporary_name(link);
  if (::symlink(target.c_str(), temporary.c_str()) != 0)
    throw Error("cannot create symlink " + temporary + ": " + errno_text());
  if (::rename(temporary.c_str(), link.c_str()) != 0) {
    std::string reason = errno_text();
    ::unlink(temporary.c_str());
    throw Error("cannot replace " + link + ": " + reason);
  }
}

std::string real_path(const std::string& path) {
  char buffer[PATH_MAX];
  if (!::realpath(path.c_str(), buffer))
    throw Error("cannot resolve " + path + ": " + errno_text());
  return buffer;
}

std::string absolute_path(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  char buffer[PATH_MAX];
  if (!::getcwd(buffer, sizeof buffer))
    throw Error("cannot get working directory: " + errno_text());
  std::string cwd = buffer;
  if (path.empty() || path == ".") return cwd;
  return cwd + "/" + (path.rfind("./", 0) == 0 ? path.substr(2) : path);
}

std::string dirname(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string basename(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::vector<std::string> list_directory(const std::string& path) {
  std::vector<std::string> names;
  DIR* dir = ::opendir(path.c_str());
  if (!dir) {
    if (errno == ENOENT || errno == ENOTDIR) return names;
    throw Error("cannot list " + path + ": " + errno_text());
  }
  while (struct dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

std::string tail_of(const std::string& file, size_t lines) {
  if (file.empty()) return "";
  // Logs may sit where others can plant things: no symlink, no FIFO, and
  // only the end of a large file.
  int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return "";
  struct stat info {};
  std::string text;
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
    constexpr off_t kWindow = 64 * 1024;
    off_t start = info.st_size > kWindow ? info.st_size - kWindow : 0;
    text.resize(static_cast<size_t>(info.st_size - start));
    ssize_t n = ::pread(fd, text.data(), text.size(), start);
    text.resize(n > 0 ? static_cast<size_t>(n) : 0);
  }
  ::close(fd);
  size_t position = text.size();
  for (size_t count = 0; position > 0 && count <= lines; --position)
    if (text[position - 1] == '\n') ++count;
  return text.substr(position);
}

}  // namespace nixproc::fs
