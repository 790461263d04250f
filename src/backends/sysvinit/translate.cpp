#include "backends/sysvinit/sysvinit.h"
#include "model/managed_process.h"

namespace nixproc::sysvinit {

// The generated createSystemVInitScript arguments (reference section 3.1).
json translate(const model::ManagedProcess& process, const Context&) {
  json args = model::common_settings(process);
  args["description"] = process.description;
  if (process.daemon) {
    args["process"] = *process.daemon;
    args["processIsDaemon"] = true;
    args["args"] = process.daemon_args;
  } else {
    args["process"] = *process.foreground_process;
    args["processIsDaemon"] = false;
    args["args"] = process.foreground_process_args;
  }
  model::copy_optional_settings(process, args);
  // The original starts nothing without runlevels; a managed process is meant
  // to run, so it gets the runlevels every example sets unless overridden.
  json override = process.overrides.value("sysvinit", json::object());
  if (!override.contains("runlevels") && !override.contains("defaultStart") &&
      !override.contains("defaultStop"))
    args["runlevels"] = {3, 4, 5};
  return args;
}

}  // namespace nixproc::sysvinit
