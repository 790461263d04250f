#include <algorithm>

#include "backends/activity.h"
#include "backends/common/info.h"
#include "backends/common/keeper.h"
#include "backends/common/process_control.h"
#include "backends/sysvinit/info.h"
#include "backends/sysvinit/sysvinit.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc::sysvinit {

static std::string script_of(const DeployedInstance& instance) {
  return stored_file(instance, read_info<Info>(instance).script, "init script");
}

static bool is_started(const DeployedInstance& instance, const DeployOptions& options) {
  auto levels = read_info<Info>(instance).start_levels;
  return std::find(levels.begin(), levels.end(), options.runlevel) != levels.end();
}

static void run_or_fail(const DeployedInstance& instance, const std::string& activity,
                        const DeployOptions& options) {
  std::string script = script_of(instance);
  int status = run_instance_script({script, activity}, options);
  if (status != 0)
    throw instance_error(instance.key, script + " " + activity + script_outcome(status) +
                                           log_excerpt(read_info<Info>(instance).log.value_or("")));
}

// The keeper the start script started, for confirm.
static void note_started(const DeployedInstance& instance) {
  if (auto record = read_info<Info>(instance).record; record && !record->empty())
    note_start(*record, record_keeper(*record));
}

static void activate(const DeployedInstance& instance, const DeployOptions& options) {
  run_or_fail(instance, "start", options);
  note_started(instance);
}

static void confirm(const DeployedInstance& instance, const DeployOptions& options) {
  Info info = read_info<Info>(instance);
  if (info.record.value_or("").empty()) return;
  confirm_start(instance_label(instance.key), *info.record, options.activity_timeout,
                [&] { return log_excerpt(info.log.value_or("")); });
}

static void deactivate(const DeployedInstance& instance, const DeployOptions& options) {
  run_or_fail(instance, "stop", options);
}

static int run_script(const DeployedInstance& instance, const std::string& activity,
                      const DeployOptions& options) {
  int status = run_instance_script({script_of(instance), activity}, options);
  if (status == 0 && (activity == "start" || activity == "restart")) note_started(instance);
  return status;
}

static InstanceStatus status(const DeployedInstance& instance, const DeployOptions& options) {
  Info info = read_info<Info>(instance);
  if (info.record) return record_status(*info.record);
  if (info.pid_file && info.program) return pid_file_status(*info.pid_file, *info.program);
  // No PID file known: ask the script, which answers with LSB status codes.
  InstanceStatus status;
  SpawnOptions quiet = capturing();
  quiet.environment = sanitised_environment();
  quiet.replace_environment = true;
  quiet.timeout_seconds = options.activity_timeout;
  switch (run({script_of(instance), "status"}, quiet).exit_code) {
    case 0:
      status.state = RunState::Running;
      break;
    case 1:
      status.state = RunState::Stale;
      break;
    case 3:
      status.state = RunState::Stopped;
      break;
    default:
      status.state = RunState::Unknown;
      break;
  }
  return status;
}

const Backend backend = {
    .name = "sysvinit",
    .description = "LSB init scripts with rc.d links, run by nixproc in dependency order",
    .native_type = "sysvinit-script",
    .translate = translate,
    .render = render,
    .is_started = is_started,
    .activate = activate,
    .deactivate = deactivate,
    .confirm = confirm,
    .status = status,
    .activities = {.script = run_script},
};

}  // namespace nixproc::sysvinit
