#include "backends/sysvinit/sysvinit.h"

namespace nixproc::sysvinit {

// The generated createSystemVInitScript arguments (reference section 3.1).
json translate(const model::ManagedProcess& process, const Context&) {
  json args = {{"name", process.name},
               {"description", process.description},
               {"initialize", process.initialize},
               {"path", process.path},
               {"environment", process.environment},
               {"dependencies", process.dependencies},
               {"credentials", process.credentials}};
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
