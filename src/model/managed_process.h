#pragma once
// Reading and checking process-manager-agnostic process configs.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/fields.h"
#include "model/model.h"

namespace nixproc::model {

// Reads and checks a managed-process config; errors name the instance and field.
ManagedProcess parse_managed_process(const Instance& instance);

// The settings most backends' generators take under these names: name,
// initialize, path, environment, dependencies and credentials.
json common_settings(const ManagedProcess& process);

// Copies the optional settings that are set (instanceName, pidFile, directory,
// umask, nice, user) into `target` under those names, as the generators of
// several backends take them.
void copy_optional_settings(const ManagedProcess& process, json& target);

// Checks the credentials attribute set: { groups = {name = {props}}; users = {...}; }.
void check_credentials(const json& credentials, const std::string& context);

// Refuses an empty or relative pidFile (the field of `reader`'s config).
void check_pid_file_path(const std::string& pid_file, const FieldReader& reader);

// Checks a umask ("022", octal) and a nice level (-20..19); throws otherwise.
void check_umask(const std::string& umask, const std::string& context);
void check_nice(const std::string& nice, const std::string& context);

}  // namespace nixproc::model
