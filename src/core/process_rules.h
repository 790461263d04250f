#pragma once
// Rules shared by the backends: which user a process really runs as, where its
// PID file and daemon log go, and its PATH (reference section 2.1-2.2).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/state_dirs.h"

namespace nixproc {

// null with forceDisableUserChange: no user switching at all.
std::optional<std::string> effective_user(const std::optional<std::string>& user,
                                          const StateDirs& dirs);

// runtimeDir for processes without a user, tmpDir otherwise (the declared user
// decides, so paths stay the same with and without forceDisableUserChange).
std::string pid_files_dir(const std::optional<std::string>& user, const StateDirs& dirs);

// pidFile, else <pidFilesDir>/<instanceName>.pid, else nothing.
std::optional<std::string> auto_pid_file(const std::optional<std::string>& pid_file,
                                         const std::optional<std::string>& instance_name,
                                         const std::optional<std::string>& user,
                                         const StateDirs& dirs);

// Where a daemonised foreground process's output goes:
// <logDir>/nixproc-<base>.log, or <tmpDir>/... when it runs as another user.
std::string daemon_log_file(const std::string& base, const std::optional<std::string>& effective,
                            const StateDirs& dirs);

// The output of an instance nixproc daemonises itself (sysvinit, disnix):
// <logDir>/nixproc-<base>.log, opened with nixproc's privileges, so never in
// a directory other users may write.
std::string instance_log_file(const std::string& base, const StateDirs& dirs);

// Where the keeper of instance `name` keeps its record (daemon/
// instance_record.h): <runtimeDir>/nixproc-instances/<name>.
std::string instance_record_dir(const StateDirs& dirs, const std::string& name);

// The same for a process manager nixproc starts itself (supervisord,
// s6-svscan, runsvdir): <runtimeDir>/nixproc-managers/<manager>, apart from
// the instances, whose names are the model's.
std::string manager_record_dir(const StateDirs& dirs, const std::string& manager);

// "<p1>/bin:<p2>/bin..."
std::string compose_path(const std::vector<std::string>& path);

// environment plus PATH from `path` (a PATH in environment wins).
std::map<std::string, std::string> environment_with_path(
    const std::map<std::string, std::string>& environment, const std::vector<std::string>& path);

}  // namespace nixproc
