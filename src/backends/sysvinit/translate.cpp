#include "backends/sysvinit/sysvinit.h"

namespace nixproc::sysvinit {

// The generated createSystemVInitScript arguments (reference section 3.1).
json translate(const model::ManagedProcess& process, const Context&) {
  json args = json::object();
  args["name"] = process.name;
  args["description"] = process.description;
  args["initialize"] = process.initialize;
  args["path"] = process.path;
  args["environment"] = process.environment;
  args["dependencies"] = process.dependencies;
  args["credentials"] = process.credentials;
  if (process.daemon) {
    args["process"] = *process.daemon;
    args["processIsDaemon"] = true;
    args["args"] = process.daemon_args;
  } else {
    args["process"] = *process.foreground_process;
    args["processIsDaemon"] = false;
    args["args"] = process.foreground_process_args;
  }
  for (const auto& [field, value] : {std::pair{"instanceName", &process.instance_name},
                                     {"pidFile", &process.pid_file},
                                     {"directory", &process.directory},
                                     {"umask", &process.umask},
                                     {"nice", &process.nice},
                                     {"user", &process.user}})
    if (*value) args[field] = **value;
  // The original starts nothing without runlevels; a managed process is meant
  // to run, so it gets the runlevels every example sets unless overridden.
  json override = process.overrides.value("sysvinit", json::object());
  if (!override.contains("runlevels") && !override.contains("defaultStart") &&
      !override.contains("defaultStop"))
    args["runlevels"] = {3, 4, 5};
  return args;
}

}  // namespace nixproc::sysvinit
