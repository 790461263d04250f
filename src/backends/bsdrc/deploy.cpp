#include "backends/activity.h"
#include "backends/bsdrc/boot.h"
#include "backends/bsdrc/bsdrc.h"
#include "backends/bsdrc/info.h"
#include "backends/common/info.h"
#include "backends/common/process_control.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace nixproc::bsdrc {

namespace {

std::string script_of(const DeployedInstance& instance) {
  return stored_file(instance, read_info<Info>(instance).script, "rc.d script");
}

// The one* forms skip rc.subr's rc.conf check: nixproc decides what runs.
std::string rc_verb(const std::string& activity) {
  for (const char* verb : {"start", "stop", "restart", "status"})
    if (activity == verb) return "one" + activity;
  return activity;
}

void run_or_fail(const DeployedInstance& instance, const std::string& verb,
                 const DeployOptions& options) {
  std::string script = script_of(instance);
  int status = run_instance_script({script, verb}, options);
  if (status != 0) throw instance_error(instance.key, script + " " + verb + script_outcome(status));
}

}  // namespace

static InstanceStatus status(const DeployedInstance& instance, const DeployOptions& options);

static void activate(const DeployedInstance& instance, const DeployOptions& options) {
  if (options.enable_at_boot)
    enable_at_boot(boot_places(), instance.name, script_of(instance),
                   read_info<Info>(instance).rcvar);
  run_or_fail(instance, "onestart", options);
}

static void deactivate(const DeployedInstance& instance, const DeployOptions& options) {
  std::string script = script_of(instance);
  if (run_instance_script({script, "onestop"}, options) != 0) {
    // rc.subr fails a stop of a process that is not running; that is the
    // state a stop wants, so only a process that still runs is an error.
    if (status(instance, options).state == RunState::Running)
      throw instance_error(instance.key,
                           script + " onestop failed and " + instance.name + " still runs");
  }
  BootPlaces places = boot_places();
  std::string link = places.target_dir + "/" + instance.name;
  bool linked_here = fs::is_symlink(link) && fs::read_link(link) == script;
  if (options.enable_at_boot || linked_here)
    disable_at_boot(places, instance.name, script, read_info<Info>(instance).rcvar);
}

static int run_script(const DeployedInstance& instance, const std::string& activity,
                      const DeployOptions& options) {
  return run_instance_script({script_of(instance), rc_verb(activity)}, options);
}

static InstanceStatus status(const DeployedInstance& instance, const DeployOptions& options) {
  if (Info info = read_info<Info>(instance); info.pid_file && info.program)
    return pid_file_status(*info.pid_file, *info.program);
  // No PID file: rc.subr finds the process by name; onestatus exits 0 when it runs.
  SpawnOptions quiet = capturing();
  quiet.environment = sanitised_environment();
  quiet.replace_environment = true;
  quiet.timeout_seconds = options.activity_timeout;
  InstanceStatus status;
  RunResult result = run({script_of(instance), "onestatus"}, quiet);
  status.state = result.ok() ? RunState::Running
                             : (result.exit_code == 1 ? RunState::Stopped : RunState::Unknown);
  return status;
}

const Backend backend = {
    .name = "bsdrc",
    .description =
        "FreeBSD rc.d scripts (rc.subr, rcorder), run with onestart/onestop in dependency order",
    .native_type = "bsdrc-script",
    .translate = translate,
    .render = render,
    .activate = activate,
    .deactivate = deactivate,
    .status = status,
    .activities = {.script = run_script},
};

}  // namespace nixproc::bsdrc
