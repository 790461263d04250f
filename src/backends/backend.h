#pragma once
// The interface every process manager backend implements, as plain data and
// function pointers. Each backend lives in its own folder with the same parts:
// translate (agnostic config -> pm-specific config), render (pm-specific
// config -> files) and deploy (activate, deactivate, status, activities).
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/context.h"
#include "model/managed_process.h"
#include "model/model.h"
#include "store/store.h"

namespace nixproc {

using json = nlohmann::json;

struct RenderedFile {
  std::string path;  // where it appears in the profile, e.g. etc/rc.d/init.d/webapp
  std::string content;
  bool executable = false;
};

struct RenderedLink {
  std::string path;    // in the profile
  std::string target;  // relative target, e.g. ../init.d/webapp
};

struct RenderedInstance {
  std::vector<RenderedFile> files;
  std::vector<RenderedLink> links;
  json info = json::object();  // what deploy and dependants need (sequence, pidFile, ...)
};

struct RenderInput {
  const model::Instance& instance;
  const json& config;  // pm-specific config: translated + overrides, or as written
  const Context& context;
  // The rendered info of each dependency, by instance key.
  const std::map<std::string, const json*>& dependency_info;
  const Store& store;  // where rendered files will be stored
};

// The store path a rendered file gets (named after the last part of its path),
// so a file can refer to another file of the same instance.
std::string stored_path(const Store& store, const RenderedFile& file);

// An instance as a deployed profile records it.
struct DeployedInstance {
  std::string key, name;
  std::map<std::string, std::string> files;  // profile path -> store path
  json info;
};

struct DeployOptions {
  int runlevel = 3;            // sysvinit: which rc<N>.d decides what runs
  int stop_timeout = 10;       // seconds a process gets to exit after TERM
  int activity_timeout = 300;  // seconds an activity (start script, ...) may take
  // Print a script's output in one piece when it ends (when several run at once).
  bool capture_output = false;
  // systemd: manage user units (`systemctl --user`) instead of system units.
  bool user_manager = false;
  // docker: the docker-compatible command line tool (docker, podman); empty:
  // NIXPROC_DOCKER_COMMAND, else docker.
  std::string docker_command;
  // bsdrc: also enable the scripts at boot (rc.conf), as the original meant to.
  bool enable_at_boot = false;
};

// A whole profile generation as a backend sees it.
struct DeployedProfile {
  std::string path;                         // the profile directory; empty for "nothing deployed"
  json params;                              // the state directories it was built for
  std::vector<DeployedInstance> instances;  // in start order
};

enum class RunState { Running, Stopped, Stale, Unknown };

struct InstanceStatus {
  RunState state = RunState::Unknown;
  long pid = 0;
  std::string detail;
};

using ActivityStep = int (*)(const DeployedInstance& instance, const DeployOptions& options);

// How a backend runs the activities of `nixproc runactivity` beyond
// activate and status (backends/activity.h dispatches them). Null members
// take the dispatcher's default.
struct Activities {
  // Stops the process, keeping what a start needs again (a supervisor's
  // entry); null: deactivate.
  ActivityStep stop = nullptr;
  // Null: stop, then activate.
  ActivityStep restart = nullptr;
  // Makes a running instance reload its configuration; null: the manager has
  // no reload activity.
  ActivityStep reload = nullptr;
  // Scripts that carry every activity themselves, custom ones too
  // (sysvinit, bsdrc, cygrunsrv): runs `activity` and returns its exit
  // status; null: the steps above.
  int (*script)(const DeployedInstance& instance, const std::string& activity,
                const DeployOptions& options) = nullptr;
};

// A backend is a table of functions, written with named fields; the ones a
// backend leaves out (null) are optional.
struct Backend {
  const char* name = "";
  const char* description = "";
  // The pm-specific config type users may write directly (pkg.type), or null.
  const char* native_type = nullptr;
  // Agnostic config -> pm-specific config (before overrides are merged).
  json (*translate)(const model::ManagedProcess& process, const Context& context) = nullptr;
  RenderedInstance (*render)(const RenderInput& input) = nullptr;
  // Whether `switch` starts this instance at all (sysvinit: has an S link in
  // the runlevel); null: always. Ask through `starts` below.
  bool (*is_started)(const DeployedInstance& instance, const DeployOptions& options) = nullptr;
  // Throw nixproc::Error when the process could not be started or stopped.
  void (*activate)(const DeployedInstance& instance, const DeployOptions& options) = nullptr;
  void (*deactivate)(const DeployedInstance& instance, const DeployOptions& options) = nullptr;
  // Waits until an instance `activate` started has stayed up for its settle
  // time, and throws nixproc::Error when it ended first; or null, when
  // activate waits itself. A switch, and `nixproc start`, confirm their
  // starts once all of them are under way, so dependants start meanwhile.
  void (*confirm)(const DeployedInstance& instance, const DeployOptions& options) = nullptr;
  InstanceStatus (*status)(const DeployedInstance& instance,
                           const DeployOptions& options) = nullptr;
  Activities activities = {};
  // Files of the profile besides the instances' (supervisord.conf, s6-rc's
  // default bundle), from the rendered info of every instance in start
  // order; or null.
  std::vector<RenderedFile> (*profile_files)(
      const Context& context, const std::vector<const json*>& instance_infos) = nullptr;
  // Managers that must learn the whole configuration before its processes
  // start (systemd: daemon-reload; s6-rc: compile and switch the database), or
  // null. A switch calls it between its stops and its starts, and again with
  // the previous profile when it undoes a failed switch. Must be idempotent.
  void (*prepare)(const DeployedProfile& profile, const DeployOptions& options) = nullptr;
  // Rewrites an overrides.<pm> written in the original framework's shape
  // (its generator's arguments) into this backend's config fields, or null
  // when the shapes agree. `where` names the field for errors.
  json (*adapt_override)(const json& override_value, const std::string& where) = nullptr;
};

// Whether a switch starts `instance` (Backend::is_started, else always).
bool starts(const Backend& backend, const DeployedInstance& instance, const DeployOptions& options);

// Every backend, in the order `--help` lists them.
const std::vector<const Backend*>& all_backends();
// The config types a model may use besides managed-process: every backend's
// native type, in the order of all_backends().
std::vector<std::string> config_types();
// Throws nixproc::Error naming the known backends for an unknown name.
const Backend& find_backend(const std::string& name);

}  // namespace nixproc
