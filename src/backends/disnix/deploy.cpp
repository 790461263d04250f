#include <signal.h>

#include "backends/common/process_control.h"
#include "backends/disnix/disnix.h"
#include "daemon/pidfile.h"
#include "util/error.h"
#include "util/fs.h"

namespace nixproc::disnix {

namespace {

struct Control {
  std::string wrapper, pid_file, program;
};

Control control_of(const DeployedInstance& instance) {
  auto wrapper = instance.files.find(instance.info.value("wrapper", ""));
  if (wrapper == instance.files.end())
    throw Error("instance " + instance.key + ": the profile has no process wrapper for it");
  return {wrapper->second, instance.info.value("pidFile", ""), instance.info.value("program", "")};
}

// How long a started daemon may take to write its PID file after the
// starting command returned (a well-behaving daemon has written it already).
constexpr int kPidFileGrace = 10;

}  // namespace

bool is_started(const DeployedInstance&, const DeployOptions&) {
  return true;
}

void activate(const DeployedInstance& instance, const DeployOptions& options) {
  Control control = control_of(instance);
  auto state = daemon::check_pid_file(control.pid_file, control.program).state;
  if (state == daemon::PidFileCheck::Running) return;
  if (state == daemon::PidFileCheck::Stale) ::unlink(control.pid_file.c_str());
  int status = run_instance_script({control.wrapper}, options);
  if (status != 0)
    throw Error("instance " + instance.key + ": " + control.wrapper +
                (status < 0 ? " was killed or timed out"
                            : " exited with status " + std::to_string(status)));
  if (!wait_for_pid_file(control.pid_file, control.program, kPidFileGrace))
    throw Error("instance " + instance.key + ": started, but " + control.pid_file +
                " names no running " + fs::basename(control.program) + " (did it exit at once?)");
}

void deactivate(const DeployedInstance& instance, const DeployOptions& options) {
  Control control = control_of(instance);
  stop_pid_file_process("instance " + instance.key, control.pid_file, control.program,
                        options.stop_timeout);
}

InstanceStatus status(const DeployedInstance& instance, const DeployOptions&) {
  Control control = control_of(instance);
  return pid_file_status(control.pid_file, control.program);
}

int run_activity(const DeployedInstance& instance, const std::string& activity,
                 const DeployOptions& options) {
  return activity_exit_status([&] {
    if (activity == "start") {
      activate(instance, options);
    } else if (activity == "stop") {
      deactivate(instance, options);
    } else if (activity == "restart") {
      deactivate(instance, options);
      activate(instance, options);
    } else if (activity == "reload") {
      InstanceStatus current = status(instance, options);
      if (current.state != RunState::Running) return 7;  // LSB: program is not running
      ::kill(static_cast<pid_t>(current.pid), SIGHUP);
    } else if (activity == "status") {
      InstanceStatus current = status(instance, options);
      std::printf("%s: %s%s\n", instance.name.c_str(), run_state_name(current.state),
                  current.pid ? (" (PID " + std::to_string(current.pid) + ")").c_str() : "");
      return current.state == RunState::Running ? 0 : current.state == RunState::Stale ? 1 : 3;
    } else {
      return unknown_activity("disnix", activity, "start, stop, restart, reload and status");
    }
    return 0;
  });
}

const Backend backend = {
    "disnix",     "the built-in dependency-based daemon manager (Dysnomia process semantics)",
    "process",    translate,
    render,       is_started,
    activate,     deactivate,
    run_activity, status,
    nullptr,      nullptr,
};

}  // namespace nixproc::disnix
