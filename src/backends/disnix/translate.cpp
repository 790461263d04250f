#include "backends/disnix/disnix.h"
#include "model/managed_process.h"

namespace nixproc::disnix {

// The config of Dysnomia's process type, plus what the process wrapper needs.
json translate(const model::ManagedProcess& process, const Context&) {
  json config = model::common_settings(process);
  if (process.daemon) {
    config["process"] = *process.daemon;
    config["processIsDaemon"] = true;
    config["args"] = process.daemon_args;
  } else {
    config["process"] = *process.foreground_process;
    config["processIsDaemon"] = false;
    config["args"] = process.foreground_process_args;
  }
  model::copy_optional_settings(process, config);
  return config;
}

}  // namespace nixproc::disnix
