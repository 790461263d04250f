#pragma once
// The processes model after evaluation: instances with their process configs,
// resolved dependencies and untouched metadata.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nixproc::model {

using json = nlohmann::json;

inline constexpr const char* kManagedProcess = "managed-process";

// The process-manager-agnostic process config (createManagedProcess) with the
// original framework's defaults applied.
struct ManagedProcess {
  std::string name;
  std::string description;
  std::string initialize;
  std::string post_install;  // shell that adds files to the package (deploy/post_install.h)
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

struct Instance {
  std::string key;                        // the model's attribute name
  std::string type;                       // pkg.type: managed-process, sysvinit-script, process
  std::string name;                       // the process name (pkg.name, else pkg.instanceName)
  json pkg;                               // the process config as written
  json meta;                              // every other attribute of the instance, verbatim
  std::vector<std::string> dependencies;  // keys of the instances this one needs first
  std::optional<ManagedProcess> process;  // the checked config, for managed-process
};

struct Model {
  std::vector<Instance> instances;  // sorted by key
  std::map<std::string, size_t> by_key;

  const Instance* find(const std::string& key) const;
};

// A file the model generated (writeTextFile) that must exist before deploying.
struct GeneratedFile {
  std::string path, name, text;
  bool executable = false;
};

struct LoadedModel {
  Model model;
  std::vector<GeneratedFile> files;
  // Per instance key, what its config refers to in the Nix store, as
  // nix-store --realise arguments (nixstore/realise.h builds and roots them).
  std::map<std::string, std::set<std::string>> nix_needs;
  std::string nix_roots_text;  // the realised software's roots, for the profile
  json evaluated;  // the evaluated JSON form, as `build --process-manager none` writes it
};

// Builds and validates a Model from the evaluated JSON form. `origin` names the
// source in errors; `config_types` are the pkg.type values besides
// managed-process a model may use (every backend's native type:
// nixproc::config_types() in backends/backend.h). Throws nixproc::Error on
// the first problem found.
Model parse_model(const json& evaluated, const std::string& origin,
                  const std::vector<std::string>& config_types);

// Dependency order: every instance after the ones it depends on; instances
// that do not depend on each other keep key order.
std::vector<size_t> start_order(const Model& model);

}  // namespace nixproc::model
