#include "core/state_dirs.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "util/error.h"
#include "util/fs.h"

namespace nixproc {

nlohmann::json StateDirs::to_params() const {
  return {{"stateDir", state_dir},
          {"runtimeDir", runtime_dir},
          {"logDir", log_dir},
          {"cacheDir", cache_dir},
          {"spoolDir", spool_dir},
          {"lockDir", lock_dir},
          {"libDir", lib_dir},
          {"tmpDir", tmp_dir},
          {"forceDisableUserChange", force_disable_user_change}};
}

StateDirs StateDirs::from_params(const nlohmann::json& params) {
  StateDirs dirs;
  dirs.state_dir = params.value("stateDir", "/var");
  dirs.runtime_dir = params.value("runtimeDir", dirs.state_dir + "/run");
  dirs.log_dir = params.value("logDir", dirs.state_dir + "/log");
  dirs.cache_dir = params.value("cacheDir", dirs.state_dir + "/cache");
  dirs.spool_dir = params.value("spoolDir", dirs.state_dir + "/spool");
  dirs.lock_dir = params.value("lockDir", dirs.state_dir + "/lock");
  dirs.lib_dir = params.value("libDir", dirs.state_dir + "/lib");
  dirs.tmp_dir =
      params.value("tmpDir", dirs.state_dir == "/var" ? "/tmp" : dirs.state_dir + "/tmp");
  dirs.force_disable_user_change = params.value("forceDisableUserChange", false);
  return dirs;
}

static std::optional<std::string> pick(const std::optional<std::string>& option,
                                       const char* variable) {
  if (option && !option->empty()) return option;
  const char* value = std::getenv(variable);
  if (value && *value) return std::string(value);
  return std::nullopt;
}

static std::string normalise(const std::string& path, const char* what) {
  std::string absolute = fs::absolute_path(path);
  while (absolute.size() > 1 && absolute.back() == '/') absolute.pop_back();
  if (absolute.find('\n') != std::string::npos)
    throw Error(std::string(what) + " must not contain a newline");
  return absolute;
}

StateDirs resolve_state_dirs(const StateDirOptions& options) {
  nlohmann::json params = nlohmann::json::object();
  struct Entry {
    const std::optional<std::string>& option;
    const char* variable;
    const char* param;
  } entries[] = {
      {options.state_dir, "NIXPROC_STATE_DIR", "stateDir"},
      {options.runtime_dir, "NIXPROC_RUNTIME_DIR", "runtimeDir"},
      {options.log_dir, "NIXPROC_LOG_DIR", "logDir"},
      {options.cache_dir, "NIXPROC_CACHE_DIR", "cacheDir"},
      {options.spool_dir, "NIXPROC_SPOOL_DIR", "spoolDir"},
      {options.lock_dir, "NIXPROC_LOCK_DIR", "lockDir"},
      {options.lib_dir, "NIXPROC_LIB_DIR", "libDir"},
      {options.tmp_dir, "NIXPROC_TMP_DIR", "tmpDir"},
  };
  for (const auto& entry : entries)
    if (auto value = pick(entry.option, entry.variable))
      params[entry.param] = normalise(*value, entry.param);
  const char* force = std::getenv("NIXPROC_FORCE_DISABLE_USER_CHANGE");
  params["forceDisableUserChange"] =
      options.force_disable_user_change || (force && std::string(force) == "1");
  return StateDirs::from_params(params);
}

void init_state(const StateDirs& dirs, bool privileged) {
  for (const auto* dir : {&dirs.state_dir, &dirs.runtime_dir, &dirs.log_dir, &dirs.cache_dir,
                          &dirs.spool_dir, &dirs.lock_dir, &dirs.lib_dir})
    fs::make_directories(*dir);
  if (!fs::is_directory(dirs.tmp_dir)) {
    fs::make_directories(dirs.tmp_dir);
    // Processes of several users put PID files and logs in tmpDir.
    if (privileged && !dirs.force_disable_user_change) ::chmod(dirs.tmp_dir.c_str(), 01777);
  }
}

}  // namespace nixproc
