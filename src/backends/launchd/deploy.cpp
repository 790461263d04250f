#include <unistd.h>

#include <cstdlib>

#include "backends/activity.h"
#include "backends/common/info.h"
#include "backends/common/manager_tool.h"
#include "backends/common/process_control.h"
#include "backends/launchd/info.h"
#include "backends/launchd/launchd.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/subprocess.h"

namespace nixproc::launchd {

namespace {

std::string target_dir() {
  if (const char* dir = std::getenv("LAUNCHD_TARGET_DIR"); dir && *dir) return dir;
  return "/Library/LaunchDaemons";
}

std::string label_of(const DeployedInstance& instance) {
  return read_info<Info>(instance).label.value_or("org.nixos." + instance.name);
}

std::string plist_of(const DeployedInstance& instance) {
  return stored_file(instance, read_info<Info>(instance).plist, "property list");
}

// Where the plist is copied: launchd refuses plists that are symlinks into
// other owners' directories, so it gets a real file (reference 8.11).
std::string installed_plist(const DeployedInstance& instance) {
  return target_dir() + "/" + label_of(instance) + ".plist";
}

const ManagerTool kLaunchctl = {{"launchctl"}, "the launchd process manager runs on macOS"};

RunResult launchctl(const std::vector<std::string>& args, const DeployOptions& options) {
  return run_tool(kLaunchctl, args, options);
}

void launchctl_or_fail(const DeployedInstance& instance, const std::vector<std::string>& args,
                       const DeployOptions& options) {
  run_tool_or_fail(kLaunchctl, args, options, instance_label(instance.key));
}

}  // namespace

static void activate(const DeployedInstance& instance, const DeployOptions& options) {
  std::string installed = installed_plist(instance);
  fs::make_directories(target_dir());
  fs::write_file_atomic(installed, fs::read_file(plist_of(instance)), 0644);
  launchctl_or_fail(instance, {"load", "-w", installed}, options);
  launchctl_or_fail(instance, {"start", label_of(instance)}, options);
}

static void deactivate(const DeployedInstance& instance, const DeployOptions& options) {
  std::string installed = installed_plist(instance);
  if (!fs::lexists(installed)) return;  // never installed, or already removed
  // A job that is not running cannot be stopped; unloading is what counts.
  RunResult stopped = launchctl({"stop", label_of(instance)}, options);
  if (!stopped.ok())
    log::detail(instance_label(instance.key) + ": launchctl stop " + stopped.describe());
  launchctl_or_fail(instance, {"unload", installed}, options);
  if (::unlink(installed.c_str()) != 0)
    throw Error("cannot remove " + installed + ": " + fs::errno_text());
}

// `launchctl list LABEL` prints the job as a dictionary with "PID" = N; while
// it runs; it fails for a job launchd does not know.
static InstanceStatus status(const DeployedInstance& instance, const DeployOptions& options) {
  InstanceStatus status;
  RunResult result;
  try {
    result = launchctl({"list", label_of(instance)}, options);
  } catch (const Error& error) {
    status.detail = error.what();
    return status;
  }
  if (!result.ok()) {
    status.state = RunState::Stopped;
    status.detail = "not loaded";
    return status;
  }
  status.state = RunState::Stopped;
  status.detail = "loaded";
  size_t at = result.out.find("\"PID\" = ");
  if (at != std::string::npos) {
    status.pid = std::atol(result.out.c_str() + at + 8);
    if (status.pid > 0) {
      status.state = RunState::Running;
      status.detail = "running";
    }
  }
  return status;
}

// The job stays loaded: launchctl stops and starts it.
static int stop(const DeployedInstance& instance, const DeployOptions& options) {
  launchctl_or_fail(instance, {"stop", label_of(instance)}, options);
  return kActivityDone;
}

static int restart(const DeployedInstance& instance, const DeployOptions& options) {
  launchctl({"stop", label_of(instance)}, options);
  launchctl_or_fail(instance, {"start", label_of(instance)}, options);
  return kActivityDone;
}

const Backend backend = {
    .name = "launchd",
    .description =
        "launchd property lists (macOS), copied to /Library/LaunchDaemons and loaded with "
        "launchctl; no dependency ordering",
    .native_type = "launchd-daemon",
    .translate = translate,
    .render = render,
    .activate = activate,
    .deactivate = deactivate,
    .status = status,
    .activities = {.stop = stop, .restart = restart},
    .adapt_override = adapt_override,
};

}  // namespace nixproc::launchd
