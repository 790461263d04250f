#include "deploy/preflight.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/process_rules.h"
#include "deploy/manifest.h"
#include "model/exec_limits.h"
#include "model/fields.h"
#include "model/managed_process.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/quote.h"
#include "util/subprocess.h"

namespace nixproc {

json launch_needs(const json& config, const std::string& context) {
  if (!config.is_object() || !config.contains("process")) return json::object();
  model::FieldReader reader(config, context);
  json needs = {{"context", context}};
  auto process = reader.optional_string("process");
  if (process && process->empty()) reader.fail("process", "empty: give the executable to run");
  if (process) needs["process"] = *process;
  if (auto pid_file = reader.optional_string("pidFile")) {
    model::check_pid_file_path(*pid_file, reader);
    needs["pidFile"] = *pid_file;
    std::string dir = fs::dirname(*pid_file);
    needs["initializeMakesPidFileDir"] =
        reader.string_or("initialize", "").find(dir) != std::string::npos;
  }
  auto path = reader.string_list("path");
  if (!path.empty()) needs["path"] = compose_path(path);
  auto args = reader.string_list("args");
  auto environment = reader.string_map("environment");
  model::check_argument_lengths(args, "args", context);
  model::check_environment_lengths(environment, context);
  model::check_exec_size(args, "args", environment_with_path(environment, path), context);
  return needs;
}

namespace {

bool is_executable_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::string find_on_path(const std::string& name, const std::string& search_path) {
  size_t start = 0;
  while (start <= search_path.size()) {
    size_t end = search_path.find(':', start);
    if (end == std::string::npos) end = search_path.size();
    std::string dir = search_path.substr(start, end - start);
    if (!dir.empty() && is_executable_file(dir + "/" + name)) return dir + "/" + name;
    start = end + 1;
  }
  return "";
}

namespace {

std::string executable_problem(const std::string& process, const std::string& path) {
  if (process.find('/') != std::string::npos) {
    if (process[0] != '/') return "";  // relative to the working directory it gets
    struct stat st;
    if (::stat(process.c_str(), &st) != 0) return quote(process) + " does not exist";
    if (!S_ISREG(st.st_mode)) return quote(process) + " is not a regular file";
    if (::access(process.c_str(), X_OK) != 0) return quote(process) + " is not executable";
    return "";
  }
  std::string search_path = path.empty() ? kServicePath : path + ":" + kServicePath;
  if (!find_on_path(process, search_path).empty()) return "";
  return quote(process) + " is not found on the instance's PATH (" + printable(search_path, 200) +
         ")";
}

bool is_state_dir(const std::string& dir, const StateDirs& dirs) {
  for (const auto* state : {&dirs.state_dir, &dirs.runtime_dir, &dirs.log_dir, &dirs.cache_dir,
                            &dirs.spool_dir, &dirs.lock_dir, &dirs.lib_dir, &dirs.tmp_dir})
    if (dir == *state) return true;
  return false;
}

// Blank, or a decimal number on a line: what a PID file holds.
bool looks_like_pid_file(const std::string& content) {
  size_t begin = content.find_first_not_of(" \t\n");
  if (begin == std::string::npos) return true;
  size_t end = content.find_last_not_of(" \t\n") + 1;
  for (size_t i = begin; i < end; ++i)
    if (content[i] < '0' || content[i] > '9') return false;
  return true;
}

bool is_below_state_dir(const std::string& path, const StateDirs& dirs) {
  for (const auto* state : {&dirs.state_dir, &dirs.runtime_dir, &dirs.log_dir, &dirs.cache_dir,
                            &dirs.spool_dir, &dirs.lock_dir, &dirs.lib_dir, &dirs.tmp_dir})
    if (!state->empty() && path.size() > state->size() && path.rfind(*state + "/", 0) == 0)
      return true;
  return false;
}

constexpr size_t kLongestPidFile = 64;

// A regular file at the PID file's place whose content is no PID: a user's
// data, which starting the instance would overwrite. In the state
// directories, where PID files live, a small one is a PID file that broke
// (a crash while it was written, garbage): the start replaces it. Other
// kinds of files are the start's business (it never follows or blocks on
// them).
std::string pid_file_problem(const std::string& pid_file, const StateDirs& dirs) {
  struct stat st;
  if (::lstat(pid_file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return "";
  if (is_below_state_dir(pid_file, dirs) && static_cast<size_t>(st.st_size) <= kLongestPidFile)
    return "";
  std::string content;
  if (static_cast<size_t>(st.st_size) <= kLongestPidFile) {
    int fd = ::open(pid_file.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return "";
    char buffer[kLongestPidFile + 1];
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    ::close(fd);
    if (n >= 0 && static_cast<size_t>(n) <= kLongestPidFile) {
      content.assign(buffer, static_cast<size_t>(n));
      if (looks_like_pid_file(content)) return "";
    }
  }
  return quote(pid_file) + " exists and is not a PID file (" + std::to_string(st.st_size) +
         " bytes that are not a process ID); starting the instance would overwrite it: move it "
         "away or choose another pidFile";
}

}  // namespace

std::vector<std::string> preflight_problems(const std::vector<const ManifestInstance*>& instances,
                                            const StateDirs& dirs) {
  std::vector<std::string> problems;
  for (const auto* instance : instances) {
    const json& needs = instance->launch;
    if (needs.empty()) continue;
    std::string context = needs.value("context", instance_label(instance->key));
    auto report = [&](const char* field, const std::string& problem) {
      if (!problem.empty()) problems.push_back(context + ": field " + field + ": " + problem);
    };
    if (needs.contains("process"))
      report("process", executable_problem(needs.value("process", ""), needs.value("path", "")));
    if (!needs.contains("pidFile")) continue;
    std::string pid_file = needs.value("pidFile", "");
    std::string dir = fs::dirname(pid_file);
    if (!fs::is_directory(dir) && !is_state_dir(dir, dirs) &&
        !needs.value("initializeMakesPidFileDir", false))
      report("pidFile", "the directory " + quote(dir) +
                            " does not exist (create it, or let initialize create it)");
    report("pidFile", pid_file_problem(pid_file, dirs));
  }
  return problems;
}

}  // namespace nixproc
