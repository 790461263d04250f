#include <signal.h>

#include "backends/activity.h"
#include "backends/common/info.h"
#include "backends/common/keeper.h"
#include "backends/common/process_control.h"
#include "backends/disnix/disnix.h"
#include "backends/disnix/info.h"
#include "daemon/instance_control.h"
#include "daemon/pidfile.h"
#include "util/error.h"
#include "util/fs.h"

namespace nixproc::disnix {

namespace {

// How long a started daemon may take to write its PID file after the
// starting command returned (profiles without records only).
constexpr int kPidFileGrace = 10;

}  // namespace

static void activate(const DeployedInstance& instance, const DeployOptions& options) {
  Info info = read_info<Info>(instance);
  if (!info.record.empty()) {
    // The wrapper returns once the keeper says the start succeeded.
    InstanceStatus now = record_status(info.record);
    if (now.state == RunState::Running) return;
  } else {
    auto state = daemon::check_pid_file(info.pid_file, info.program).state;
    if (state == daemon::PidFileCheck::Running) return;
  }
  std::string wrapper = stored_file(instance, info.wrapper, "process wrapper");
  int status = run_instance_script({wrapper}, options);
  if (status != 0)
    throw instance_error(instance.key, wrapper + script_outcome(status) + log_excerpt(info.log));
  if (info.record.empty() && !wait_for_pid_file(info.pid_file, info.program, kPidFileGrace))
    throw instance_error(instance.key, "started, but " + info.pid_file + " names no running " +
                                           fs::basename(info.program) + " (did it exit at once?)");
  if (!info.record.empty()) note_start(info.record, record_keeper(info.record));
}

static void confirm(const DeployedInstance& instance, const DeployOptions& options) {
  Info info = read_info<Info>(instance);
  if (info.record.empty()) return;
  confirm_start(instance_label(instance.key), info.record, options.activity_timeout,
                [&] { return log_excerpt(info.log); });
}

static void deactivate(const DeployedInstance& instance, const DeployOptions& options) {
  Info info = read_info<Info>(instance);
  if (info.record.empty())
    stop_pid_file_process(instance_label(instance.key), info.pid_file, info.program,
                          options.stop_timeout);
  else
    end_instance_leftovers(instance_label(instance.key), info.record, options.stop_timeout);
}

static InstanceStatus status(const DeployedInstance& instance, const DeployOptions&) {
  Info info = read_info<Info>(instance);
  if (!info.record.empty()) return record_status(info.record);
  return pid_file_status(info.pid_file, info.program);
}

static int reload(const DeployedInstance& instance, const DeployOptions& options) {
  Info info = read_info<Info>(instance);
  if (!info.record.empty())
    return daemon::signal_instance(info.record, SIGHUP) ? kActivityDone : kReloadNotRunning;
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
