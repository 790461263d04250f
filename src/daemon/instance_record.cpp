#include "daemon/instance_record.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "daemon/safe_files.h"

namespace nixproc::daemon {

namespace {

constexpr const char* kMagic = "nixproc-instance-record 1";
constexpr const char* kRecordFile = "record";
constexpr const char* kLockFile = "lock";

std::string parent_of(const std::string& dir) {
  auto slash = dir.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : dir.substr(0, slash);
}

bool read_identity(std::istringstream& line, ProcessIdentity& identity, const std::string& boot) {
  long long pid = 0;
  unsigned long long ticks = 0;
  if (!(line >> pid >> ticks) || pid <= 0 || pid > 0x7fffffff) return false;
  identity = {static_cast<pid_t>(pid), ticks, boot};
  return true;
}

}  // namespace

std::string format_record(const InstanceRecord& record) {
  std::string text = std::string(kMagic) + "\nboot " + record.keeper.boot + "\n";
  text += "keeper " + std::to_string(record.keeper.pid) + " " +
          std::to_string(record.keeper.start_ticks) + "\n";
  if (record.main.known())
    text += "main " + std::to_string(record.main.pid) + " " +
            std::to_string(record.main.start_ticks) + "\n";
  if (record.ready) text += "ready\n";
  return text + "end\n";
}

std::optional<InstanceRecord> parse_record(const std::string& text) {
  std::istringstream lines(text);
  std::string line, boot;
  if (!std::getline(lines, line) || line != kMagic) return std::nullopt;
  InstanceRecord record;
  bool ended = false, has_keeper = false;
  while (std::getline(lines, line) && !ended) {
    std::istringstream words(line);
    std::string key;
    words >> key;
    if (key == "boot") {
      if (!(words >> boot)) return std::nullopt;
    } else if (key == "keeper") {
      if (!read_identity(words, record.keeper, boot)) return std::nullopt;
      has_keeper = true;
    } else if (key == "main") {
      if (!read_identity(words, record.main, boot)) return std::nullopt;
    } else if (key == "ready") {
      record.ready = true;
    } else if (key == "end") {
      ended = true;
    } else {
      return std::nullopt;
    }
  }
  // A record without its end was cut short: it proves nothing.
  if (!ended || !has_keeper || boot.empty()) return std::nullopt;
  return record;
}

RecordRead read_record(const std::string& dir) {
  RecordRead result;
  struct stat info {};
  if (::lstat(dir.c_str(), &info) != 0 && errno == ENOENT) return result;
  for (const std::string& path : {parent_of(dir), dir}) {
    int fd = open_private_directory(path, false, &result.problem);
    if (fd < 0) return result;
    ::close(fd);
  }
  // The keeper replaces its record (rename) while others read it: a read
  // that met a replacement reads again.
  SmallFile file;
  for (int attempt = 0; attempt < 10; ++attempt) {
    file = read_small_file(dir + "/" + kRecordFile);
    if (file.outcome != SmallFile::Changed) break;
  }
  if (file.outcome == SmallFile::Missing) return result;
  if (file.outcome != SmallFile::Read) {
    result.problem = file.problem;
    return result;
  }
  result.record = parse_record(file.content);
  return result;
}

RecordDirectory::~RecordDirectory() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

bool RecordDirectory::open(const std::string& dir, std::string* problem) {
  path_ = dir;
  int parent = open_private_directory(parent_of(dir), true, problem);
  if (parent < 0) return false;
  ::close(parent);
  dir_fd_ = open_private_directory(dir, true, problem);
  return dir_fd_ >= 0;
}

bool RecordDirectory::lock() {
  lock_fd_ = ::openat(dir_fd_, kLockFile, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) return false;
  return ::flock(lock_fd_, LOCK_EX | LOCK_NB) == 0;
}

std::optional<InstanceRecord> RecordDirectory::previous() const {
  SmallFile file = read_small_file(path_ + "/" + kRecordFile);  // only we write it now
  if (file.outcome != SmallFile::Read) return std::nullopt;
  return parse_record(file.content);
}

bool RecordDirectory::write(const InstanceRecord& record, std::string* problem) const {
  std::string temporary = std::string(kRecordFile) + ".new";
  ::unlinkat(dir_fd_, temporary.c_str(), 0);
  int fd = ::openat(dir_fd_, temporary.c_str(),
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  std::string text = format_record(record);
  bool written =
      fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  int error = errno;
  if (fd >= 0) ::close(fd);
  if (written && ::renameat(dir_fd_, temporary.c_str(), dir_fd_, kRecordFile) == 0) return true;
  error = written ? errno : error;
  ::unlinkat(dir_fd_, temporary.c_str(), 0);
  *problem = path_ + "/" + kRecordFile + ": " + std::strerror(error);
  return false;
}

void RecordDirectory::remove() const {
  ::unlinkat(dir_fd_, kRecordFile, 0);
}

}  // namespace nixproc::daemon
