#pragma once
// The process-manager-agnostic process config (createManagedProcess) with the
// original framework's defaults applied.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/model.h"

namespace nixproc::model {

struct ManagedProcess {
  std::string name;
  std::string description;
  std::string initialize;
  std::optional<std::string> daemon;  // daemon mode is possible iff set
  std::vector<std::string> daemon_args;
  std::optional<std::string> foreground_process;  // foreground mode is possible iff set
  std::vector<std::string> foreground_process_args;
  std::optional<std::string> instance_name;
  std::optional<std::string> pid_file;
  std::vector<std::string> path;
  std::map<std::string, std::string> environment;
  std::optional<std::string> directory, umask, nice, user;
  std::vector<std::string> dependencies;  // process names, as written
  json credentials = json::object();
  json overrides = json::object();
};

// Reads and checks a managed-process config; errors name the instance and field.
ManagedProcess parse_managed_process(const Instance& instance);

// Checks the credentials attribute set: { groups = {name = {props}}; users = {...}; }.
void check_credentials(const json& credentials, const std::string& context);

// Checks a umask ("022", octal) and a nice level (-20..19); throws otherwise.
void check_umask(const std::string& umask, const std::string& context);
void check_nice(const std::string& nice, const std::string& context);

}  // namespace nixproc::model
