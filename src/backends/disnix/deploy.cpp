#include <signal.h>

#include "backends/activity.h"
#include "backends/common/keeper.h"
#include "backends/common/process_control.h"
#include "backends/disnix/disnix.h"
#include "daemon/instance_control.h"
#include "daemon/pidfile.h"
#include "util/error.h"
#include "util/fs.h"

namespace nixproc::disnix {

namespace {

struct Control {
  std::string wrapper, pid_file, program;
  std::string record;  // empty in profiles of nixproc versions before records
  std::string log;
};

Control control_of(const DeployedInstance& instance) {
  auto wrapper = instance.files.find(instance.info.value("wrapper", ""));
  if (wrapper == instance.files.end())
    throw Error("instance " + instance.key + ": the profile has no process wrapper for it");
  return {wrapper->second, instance.info.value("pidFile", ""), instance.info.value("program", ""),
          instance.info.value("record", ""), instance.info.value("log", "")};
}

// How long a started daemon may take to write its PID file after the
// starting command returned (profiles without records only).
constexpr int kPidFileGrace = 10;

}  // namespace

static void activate(const DeployedInstance& instance, const DeployOptions& options) {
  Control control = control_of(instance);
  if (!control.record.empty()) {
    // The wrapper returns once the keeper says the start succeeded.
    InstanceStatus now = record_status(control.record);
    if (now.state == RunState::Running) return;
  } else {
    auto state = daemon::check_pid_file(control.pid_file, control.program).state;
    if (state == daemon::PidFileCheck::Running) return;
  }
  int status = run_instance_script({control.wrapper}, options);
  if (status != 0)
    throw Error("instance " + instance.key + ": " + control.wrapper +
                (status < 0 ? " was killed or timed out"
                            : " exited with status " + std::to_string(status)) +
                log_excerpt(control.log));
  if (control.record.empty() &&
      !wait_for_pid_file(control.pid_file, control.program, kPidFileGrace))
    throw Error("instance " + instance.key + ": started, but " + control.pid_file +
                " names no running " + fs::basename(control.program) + " (did it exit at once?)");
  if (!control.record.empty()) note_start(control.record, record_keeper(control.record));
}

static void confirm(const DeployedInstance& instance, const DeployOptions& options) {
  Control control = control_of(instance);
  if (control.record.empty()) return;
  confirm_start("instance " + instance.key, control.record, options.activity_timeout,
                [&] { return log_excerpt(control.log); });
}

static void deactivate(const DeployedInstance& instance, const DeployOptions& options) {
  Control control = control_of(instance);
  if (control.record.empty())
    stop_pid_file_process("instance " + instance.key, control.pid_file, control.program,
                          options.stop_timeout);
  else
    end_instance_leftovers("instance " + instance.key, control.record, options.stop_timeout);
}

static InstanceStatus status(const DeployedInstance& instance, const DeployOptions&) {
  Control control = control_of(instance);
  if (!control.record.empty()) return record_status(control.record);
  return pid_file_status(control.pid_file, control.program);
}

static int reload(const DeployedInstance& instance, const DeployOptions& options) {
  Control control = control_of(instance);
  if (!control.record.empty())
    return daemon::signal_instance(control.record, SIGHUP) ? kActivityDone : kReloadNotRunning;
  ::kill(static_cast<pid_t>(status(instance, options).pid), SIGHUP);
  return kActivityDone;
}

const Backend backend = {
    .name = "disnix",
    .description = "the built-in dependency-based daemon manager (Dysnomia process semantics)",
    .native_type = "process",
    .translate = translate,
    .render = render,
    .activate = activate,
    .deactivate = deactivate,
    .confirm = confirm,
    .status = status,
    .activities = {.reload = reload},
};

}  // namespace nixproc::disnix
