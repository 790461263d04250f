#include "core/process_rules.h"

namespace nixproc {

std::optional<std::string> effective_user(const std::optional<std::string>& user,
                                          const StateDirs& dirs) {
  if (dirs.force_disable_user_change) return std::nullopt;
  return user;
}

std::string pid_files_dir(const std::optional<std::string>& user, const StateDirs& dirs) {
  return user ? dirs.tmp_dir : dirs.runtime_dir;
}

std::optional<std::string> auto_pid_file(const std::optional<std::string>& pid_file,
                                         const std::optional<std::string>& instance_name,
                                         const std::optional<std::string>& user,
                                         const StateDirs& dirs) {
  if (pid_file) return pid_file;
  if (instance_name) return pid_files_dir(user, dirs) + "/" + *instance_name + ".pid";
  return std::nullopt;
}

std::string daemon_log_file(const std::string& base, const std::optional<std::string>& effective,
                            const StateDirs& dirs) {
  return (effective ? dirs.tmp_dir : dirs.log_dir) + "/nixproc-" + base + ".log";
}

std::string instance_log_file(const std::string& base, const StateDirs& dirs) {
  return dirs.log_dir + "/nixproc-" + base + ".log";
}

std::string instance_record_dir(const StateDirs& dirs, const std::string& name) {
  return dirs.runtime_dir + "/nixproc-instances/" + name;
}

std::string manager_record_dir(const StateDirs& dirs, const std::string& manager) {
  return dirs.runtime_dir + "/nixproc-managers/" + manager;
}

std::string compose_path(const std::vector<std::string>& path) {
  std::string joined;
  for (const auto& entry : path) joined += (joined.empty() ? "" : ":") + entry + "/bin";
  return joined;
}

std::map<std::string, std::string> environment_with_path(
    const std::map<std::string, std::string>& environment, const std::vector<std::string>& path) {
  std::map<std::string, std::string> result;
  if (!path.empty()) result["PATH"] = compose_path(path);
  for (const auto& [name, value] : environment) result[name] = value;
  return result;
}

}  // namespace nixproc
