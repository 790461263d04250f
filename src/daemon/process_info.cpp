#include "daemon/process_info.h"

#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

namespace nixproc::daemon {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string proc_path(pid_t pid, const char* entry) {
  return "/proc/" + std::to_string(pid) + "/" + entry;
}

std::string base_name(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string real_path(const std::string& path) {
  char buffer[PATH_MAX];
  return ::realpath(path.c_str(), buffer) ? std::string(buffer) : std::string();
}

// The fields of /proc/<pid>/stat after "(comm)", which may itself contain
// spaces and parentheses: [0] is the state (field 3), [19] the start time.
std::vector<std::string> stat_fields(pid_t pid) {
  std::string stat = read_file(proc_path(pid, "stat"));
  std::vector<std::string> fields;
  auto comm_end = stat.rfind(')');
  if (comm_end == std::string::npos) return fields;
  std::istringstream rest(stat.substr(comm_end + 1));
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

std::optional<long long> boot_time() {
  std::istringstream stat(read_file("/proc/stat"));
  for (std::string line; std::getline(stat, line);)
    if (line.rfind("btime ", 0) == 0) return std::strtoll(line.c_str() + 6, nullptr, 10);
  return std::nullopt;
}

// /proc/<pid>/exe without the " (deleted)" the kernel appends when the
// binary was replaced while it runs (as an upgrade does).
std::string executable_of(pid_t pid) {
  char buffer[PATH_MAX];
  ssize_t length = ::readlink(proc_path(pid, "exe").c_str(), buffer, sizeof buffer - 1);
  if (length <= 0) return "";
  std::string exe(buffer, static_cast<size_t>(length));
  const std::string deleted = " (deleted)";
  if (exe.size() > deleted.size() && exe.ends_with(deleted))
    exe.resize(exe.size() - deleted.size());
  return exe;
}

std::vector<std::string> first_arguments(pid_t pid, size_t count) {
  std::string cmdline = read_file(proc_path(pid, "cmdline"));
  std::vector<std::string> arguments;
  size_t start = 0;
  while (arguments.size() < count && start < cmdline.size()) {
    size_t end = cmdline.find('\0', start);
    if (end == std::string::npos) end = cmdline.size();
    arguments.push_back(cmdline.substr(start, end - start));
    start = end + 1;
  }
  return arguments;
}

}  // namespace

std::vector<pid_t> child_processes(pid_t parent) {
  std::vector<pid_t> children;
  DIR* proc = ::opendir("/proc");
  if (!proc) return children;
  while (struct dirent* entry = ::readdir(proc)) {
    if (!std::isdigit(static_cast<unsigned char>(entry->d_name[0]))) continue;
    pid_t pid = static_cast<pid_t>(std::strtol(entry->d_name, nullptr, 10));
    auto fields = stat_fields(pid);  // [1] is the parent (field 4)
    if (fields.size() > 1 && std::strtol(fields[1].c_str(), nullptr, 10) == parent)
      children.push_back(pid);
  }
  ::closedir(proc);
  return children;
}

bool is_live_process(pid_t pid) {
  if (pid <= 0) return false;
  auto fields = stat_fields(pid);
  if (fields.empty()) return false;
  const std::string& state = fields[0];
  return state != "Z" && state != "X" && state != "x";
}

std::optional<double> process_start_time(pid_t pid) {
  auto fields = stat_fields(pid);
  auto booted = boot_time();
  if (fields.size() < 20 || !booted) return std::nullopt;
  static const long ticks_per_second = ::sysconf(_SC_CLK_TCK);
  try {
    return static_cast<double>(*booted) +
           static_cast<double>(std::stoull(fields[19])) / static_cast<double>(ticks_per_second);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool runs_program(pid_t pid, const std::string& program) {
  if (program.empty()) return false;
  std::string wanted = real_path(program);
  std::string wanted_base = base_name(program);
  std::string wanted_real_base = wanted.empty() ? wanted_base : base_name(wanted);
  auto same_base = [&](const std::string& path) {
    std::string base = base_name(path);
    return !base.empty() && (base == wanted_base || base == wanted_real_base);
  };
  std::string exe = executable_of(pid);
  if (!exe.empty() && ((!wanted.empty() && exe == wanted) || same_base(exe))) return true;
  for (const auto& argument : first_arguments(pid, 2))
    if (same_base(argument)) return true;
  return false;
}

std::string own_executable() {
  return real_path("/proc/self/exe");
}

const std::string& boot_id() {
  static const std::string id = [] {
    std::string text = read_file("/proc/sys/kernel/random/boot_id");
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    return text;
  }();
  return id;
}

namespace {

bool is_dead_state(const std::string& state) {
  return state == "Z" || state == "X" || state == "x";
}

std::optional<unsigned long long> start_ticks(const std::vector<std::string>& fields) {
  if (fields.size() < 20) return std::nullopt;
  char* end = nullptr;
  unsigned long long ticks = std::strtoull(fields[19].c_str(), &end, 10);
  if (end == fields[19].c_str() || *end != '\0') return std::nullopt;
  return ticks;
}

}  // namespace

std::optional<ProcessIdentity> identify(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  auto fields = stat_fields(pid);
  if (fields.empty() || is_dead_state(fields[0])) return std::nullopt;
  auto ticks = start_ticks(fields);
  if (!ticks) return std::nullopt;
  return ProcessIdentity{pid, *ticks, boot_id()};
}

bool still_runs(const ProcessIdentity& identity) {
  if (!identity.known() || identity.boot != boot_id()) return false;
  auto now = identify(identity.pid);
  return now && now->start_ticks == identity.start_ticks;
}

bool signal_process(const ProcessIdentity& identity, int signal) {
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_send_signal)
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, identity.pid, 0));
  if (fd >= 0) {
    bool sent =
        still_runs(identity) && ::syscall(SYS_pidfd_send_signal, fd, signal, nullptr, 0) == 0;
    ::close(fd);
    return sent;
  }
#endif
  return still_runs(identity) && ::kill(identity.pid, signal) == 0;
}

std::vector<ProcessEntry> process_table() {
  std::vector<ProcessEntry> table;
  DIR* proc = ::opendir("/proc");
  if (!proc) return table;
  while (struct dirent* entry = ::readdir(proc)) {
    if (!std::isdigit(static_cast<unsigned char>(entry->d_name[0]))) continue;
    pid_t pid = static_cast<pid_t>(std::strtol(entry->d_name, nullptr, 10));
    auto fields = stat_fields(pid);
    auto ticks = start_ticks(fields);
    if (!ticks) continue;  // gone meanwhile
    table.push_back({pid, static_cast<pid_t>(std::strtol(fields[1].c_str(), nullptr, 10)), *ticks,
                     is_dead_state(fields[0])});
  }
  ::closedir(proc);
  return table;
}

std::vector<ProcessIdentity> live_descendants(const std::vector<ProcessEntry>& table, pid_t root) {
  std::multimap<pid_t, const ProcessEntry*> children;
  for (const auto& entry : table) children.emplace(entry.parent, &entry);
  std::vector<ProcessIdentity> found;
  std::vector<pid_t> parents = {root};
  // A breadth-first walk; a process is never its own ancestor, but a table
  // read while processes come and go might say so: `seen` stops any loop.
  std::map<pid_t, bool> seen = {{root, true}};
  for (size_t next = 0; next < parents.size(); ++next) {
    auto [first, last] = children.equal_range(parents[next]);
    for (auto it = first; it != last; ++it) {
      const ProcessEntry& child = *it->second;
      if (seen[child.pid]) continue;
      seen[child.pid] = true;
      parents.push_back(child.pid);
      if (!child.zombie) found.push_back({child.pid, child.start_ticks, boot_id()});
    }
  }
  return found;
}

}  // namespace nixproc::daemon
