#include "daemon/pidfile.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <climits>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "daemon/process_info.h"
#include "daemon/safe_files.h"

namespace nixproc::daemon {

std::optional<pid_t> parse_pid(const std::string& text) {
  size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  if (begin == end || end - begin > 10) return std::nullopt;
  long long value = 0;
  for (size_t i = begin; i < end; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  if (value <= 0 || value > INT_MAX) return std::nullopt;
  return static_cast<pid_t>(value);
}

namespace {

// The user a process runs as (its real UID), or nullopt.
std::optional<uid_t> process_user(pid_t pid) {
  struct stat info;
  if (::stat(("/proc/" + std::to_string(pid)).c_str(), &info) != 0) return std::nullopt;
  return info.st_uid;
}

}  // namespace

// A file may name a process when root or we wrote it, or the process's own
// user did: another user cannot make us signal a process that is not theirs.
bool may_name(const struct stat& file, pid_t pid) {
  if (file.st_uid == 0 || file.st_uid == ::geteuid()) return true;
  auto owner = process_user(pid);
  return owner && *owner == file.st_uid;
}

namespace {

double seconds(const struct timespec& time) {
  return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_nsec) / 1e9;
}

bool same_file(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_mtim.tv_sec == b.st_mtim.tv_sec &&
         a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

// An existing PID file blocks a start if it names a running instance, or a
// process running our own executable: a daemoniser that has created the file
// but not yet exec'd the program.
bool blocks_start(const std::string& path, const std::string& expected_program, pid_t* running) {
  PidFileCheck check = check_pid_file(path, expected_program);
  if (check.state != PidFileCheck::Running) {
    std::string self = own_executable();
    if (!self.empty() && self != expected_program) check = check_pid_file(path, self);
  }
  *running = check.pid;
  return check.state == PidFileCheck::Running;
}

// A file another starter has created but not yet written is not stale: give
// it a moment to get its PID.
void wait_while_empty(const std::string& path) {
  for (int i = 0; i < 20; ++i) {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0 || st.st_size > 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

PidFileCheck check_pid_file(const std::string& path, const std::string& expected_program) {
  SmallFile file = read_small_file(path);
  if (file.outcome == SmallFile::Missing) return {PidFileCheck::Absent, 0};
  const struct stat& st = file.info;
  auto pid = file.outcome == SmallFile::Read ? parse_pid(file.content) : std::nullopt;
  if (!pid) return {PidFileCheck::Stale, 0};
  if (!is_live_process(*pid) || !may_name(st, *pid)) return {PidFileCheck::Stale, 0};
  auto started = process_start_time(*pid);
  // The daemon wrote the file after it started; a process that started
  // later got the PID after the daemon was gone. One second of slack covers
  // the whole-second boot time the start time is computed from.
  if (!started || *started > seconds(st.st_mtim) + 1.0) return {PidFileCheck::Stale, 0};
  if (!expected_program.empty() && !runs_program(*pid, expected_program))
    return {PidFileCheck::Stale, 0};
  return {PidFileCheck::Running, *pid};
}

pid_t read_pid_file(const std::string& path) {
  SmallFile file = read_small_file(path);
  if (file.outcome != SmallFile::Read) return 0;
  return parse_pid(file.content).value_or(0);
}

std::vector<pid_t> find_processes_by_program(const std::string& program) {
  std::vector<pid_t> found;
  DIR* proc = ::opendir("/proc");
  if (!proc) return found;
  pid_t self = ::getpid();
  while (struct dirent* entry = ::readdir(proc)) {
    auto pid = parse_pid(entry->d_name);
    if (!pid || *pid == self || !std::isdigit(static_cast<unsigned char>(entry->d_name[0])))
      continue;
    if (is_live_process(*pid) && runs_program(*pid, program)) found.push_back(*pid);
  }
  ::closedir(proc);
  return found;
}

PidFileCreation create_pid_file(const std::string& path, const std::string& expected_program) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0) {
      // Exactly 0644, whatever the umask.
      bool written = ::fchmod(fd, 0644) == 0 && write_all(fd, std::to_string(::getpid()) + "\n");
      int error = errno;
      ::close(fd);
      if (written) return {PidFileCreation::Created, 0, 0};
      ::unlink(path.c_str());
      return {PidFileCreation::Failed, 0, error};
    }
    if (errno != EEXIST) return {PidFileCreation::Failed, 0, errno};

    wait_while_empty(path);
    struct stat checked;
    if (::lstat(path.c_str(), &checked) != 0) continue;  // removed meanwhile: retry
    pid_t running = 0;
    if (blocks_start(path, expected_program, &running))
      return {PidFileCreation::AlreadyRunning, running, 0};
    // Stale, or debris (a symlink, a FIFO, an empty directory) that can
    // hold no PID. Remove it only if it is still what was just checked, so
    // that a PID file another starter created meanwhile survives.
    struct stat now;
    if (::lstat(path.c_str(), &now) != 0 || !same_file(checked, now)) continue;
    std::string ignored;
    if (S_ISREG(now.st_mode))
      ::unlink(path.c_str());
    else
      remove_debris(path, &ignored);
  }
  return {PidFileCreation::Failed, 0, EEXIST};
}

bool remove_own_pid_file(const std::string& path) {
  if (read_pid_file(path) != ::getpid()) return true;
  return ::unlink(path.c_str()) == 0 || errno == ENOENT;
}

}  // namespace nixproc::daemon
