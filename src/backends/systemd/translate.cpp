#include "backends/systemd/systemd.h"
#include "model/managed_process.h"

namespace nixproc::systemd {

// The generated createSystemdService arguments (reference section 3.4): the
// shared fields plus one object per unit section. Foreground mode is
// preferred (Type=simple); a daemon-only process runs as Type=forking.
// overrides.systemd can add sections and settings (Install.WantedBy,
// Service.Restart, ...) or remove them with null.
json translate(const model::ManagedProcess& process, const Context&) {
  json config = model::common_settings(process);
  config["Unit"] = {{"Description", process.description}};
  json service = json::object();
  bool foreground = process.foreground_process.has_value();
  json command = json::array({foreground ? *process.foreground_process : *process.daemon});
  for (const auto& arg : foreground ? process.foreground_process_args : process.daemon_args)
    command.push_back(arg);
  service["ExecStart"] = command;
  service["Type"] = foreground ? "simple" : "forking";
  if (process.directory) service["WorkingDirectory"] = *process.directory;
  if (process.umask) service["UMask"] = *process.umask;
  if (process.nice) service["Nice"] = *process.nice;
  // Only an explicit PID file: systemd finds a forking daemon's main PID itself.
  if (!foreground && process.pid_file) service["PIDFile"] = *process.pid_file;
  if (process.user) service["User"] = *process.user;
  config["Service"] = service;
  return config;
}

}  // namespace nixproc::systemd
