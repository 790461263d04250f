#include "daemon/pidfile.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace nixproc::daemon {

namespace {

std::string read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string base_name(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string resolved(const std::string& path) {
  char buffer[PATH_MAX];
  return ::realpath(path.c_str(), buffer) ? std::string(buffer) : path;
}

// The fields of /proc/<pid>/stat after the command name.
std::vector<std::string> stat_fields(pid_t pid) {
  std::string stat = read_small_file("/proc/" + std::to_string(pid) + "/stat");
  auto close = stat.rfind(')');
  std::vector<std::string> fields;
  if (close == std::string::npos) return fields;
  std::istringstream rest(stat.substr(close + 1));
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;  // fields[0] = state (field 3), fields[19] = starttime (field 22)
}

long long boot_time() {
  std::istringstream stat(read_small_file("/proc/stat"));
  for (std::string line; std::getline(stat, line);)
    if (line.rfind("btime ", 0) == 0) return std::atoll(line.c_str() + 6);
  return 0;
}

bool alive(pid_t pid, double* start_time) {
  auto fields = stat_fields(pid);
  if (fields.size() < 20) return false;
  if (fields[0] == "Z" || fields[0] == "X" || fields[0] == "x") return false;
  if (start_time) {
    static const long ticks = ::sysconf(_SC_CLK_TCK);
    *start_time = static_cast<double>(boot_time()) + std::atof(fields[19].c_str()) / ticks;
  }
  return true;
}

}  // namespace

bool runs_program(pid_t pid, const std::string& program) {
  std::string proc = "/proc/" + std::to_string(pid);
  std::string wanted = resolved(program), wanted_base = base_name(program);
  char buffer[PATH_MAX];
  ssize_t n = ::readlink((proc + "/exe").c_str(), buffer, sizeof buffer - 1);
  if (n > 0) {
    std::string exe(buffer, static_cast<size_t>(n));
    const std::string deleted = " (deleted)";  // the binary was replaced while it runs
    if (exe.size() > deleted.size() &&
        exe.compare(exe.size() - deleted.size(), deleted.size(), deleted) == 0)
      exe.resize(exe.size() - deleted.size());
    if (exe == wanted || base_name(exe) == wanted_base) return true;
  }
  std::string cmdline = read_small_file(proc + "/cmdline");
  size_t first_end = cmdline.find('\0');
  std::string argv0 = cmdline.substr(0, first_end);
  std::string argv1;
  if (first_end != std::string::npos && first_end + 1 < cmdline.size())
    argv1 = cmdline.substr(first_end + 1, cmdline.find('\0', first_end + 1) - first_end - 1);
  return base_name(argv0) == wanted_base || (!argv1.empty() && base_name(argv1) == wanted_base);
}

PidFileCheck check_pid_file(const std::string& path, const std::string& expected_program) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return {PidFileCheck::Absent, 0};
  std::string content = read_small_file(path);
  char* end = nullptr;
  long pid = std::strtol(content.c_str(), &end, 10);
  if (pid <= 0 || end == content.c_str() || pid > INT_MAX) return {PidFileCheck::Stale, 0};
  double started = 0;
  if (!alive(static_cast<pid_t>(pid), &started)) return {PidFileCheck::Stale, 0};
  // The process wrote the file after it started; one that started later reuses the PID.
  double written = static_cast<double>(st.st_mtim.tv_sec) + st.st_mtim.tv_nsec / 1e9;
  if (started > written + 1.0) return {PidFileCheck::Stale, 0};
  if (!expected_program.empty() && !runs_program(static_cast<pid_t>(pid), expected_program))
    return {PidFileCheck::Stale, 0};
  return {PidFileCheck::Running, static_cast<pid_t>(pid)};
}

std::vector<pid_t> find_processes_by_program(const std::string& program) {
  std::vector<pid_t> found;
  DIR* proc = ::opendir("/proc");
  if (!proc) return found;
  pid_t self = ::getpid();
  while (struct dirent* entry = ::readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (pid <= 0 || *end != '\0' || pid == self) continue;
    if (alive(static_cast<pid_t>(pid), nullptr) && runs_program(static_cast<pid_t>(pid), program))
      found.push_back(static_cast<pid_t>(pid));
  }
  ::closedir(proc);
  return found;
}

bool create_pid_file(const std::string& path, const std::string& expected_program) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
      std::string text = std::to_string(::getpid()) + "\n";
      bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
      int saved = errno;
      ::close(fd);
      if (!ok) {
        ::unlink(path.c_str());
        errno = saved;
      }
      return ok;
    }
    if (errno != EEXIST) return false;
    if (check_pid_file(path, expected_program).state == PidFileCheck::Running) {
      errno = EEXIST;
      return false;
    }
    ::unlink(path.c_str());  // stale: its process is gone or the PID was reused
  }
  errno = EEXIST;
  return false;
}

}  // namespace nixproc::daemon
