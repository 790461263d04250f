#include <algorithm>

#include "backends/activity.h"
#include "backends/common/keeper.h"
#include "backends/common/process_control.h"
#include "backends/sysvinit/sysvinit.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc::sysvinit {

static std::string script_of(const DeployedInstance& instance) {
  auto it = instance.files.find(instance.info.value("script", ""));
  if (it == instance.files.end())
    throw Error("instance " + instance.key + ": the profile has no init script for it");
  return it->second;
}

static bool is_started(const DeployedInstance& instance, const DeployOptions& options) {
  auto levels = instance.info.value("startLevels", std::vector<int>{});
  return std::find(levels.begin(), levels.end(), options.runlevel) != levels.end();
}

static void run_or_fail(const DeployedInstance& instance, const std::string& activity,
                        const DeployOptions& options) {
  std::string script = script_of(instance);
  int status = run_instance_script({script, activity}, options);
  if (status != 0)
    throw Error("instance " + instance.key + ": " + script + " " + activity +
                (status < 0 ? " was killed or timed out"
                            : " exited with status " + std::to_string(status)) +
                log_excerpt(instance.info.value("log", "")));
}

// The keeper the start script started, for confirm.
static void note_started(const DeployedInstance& instance) {
  std::string record = instance.info.value("record", "");
  if (!record.empty()) note_start(record, record_keeper(record));
}

static void activate(const DeployedInstance& instance, const DeployOptions& options) {
  run_or_fail(instance, "start", options);
  note_started(instance);
}

static void confirm(const DeployedInstance& instance, const DeployOptions& options) {
  std::string record = instance.info.value("record", "");
  if (record.empty()) return;
  confirm_start("instance " + instance.key, record, options.activity_timeout,
                [&] { return log_excerpt(instance.info.value("log", "")); });
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
  if (instance.info.contains("record")) return record_status(instance.info["record"]);
  if (instance.info.contains("pidFile") && instance.info.contains("program"))
    return pid_file_status(instance.info["pidFile"], instance.info["program"]);
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
