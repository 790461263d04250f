#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "backends/activity.h"
#include "backends/common/info.h"
#include "backends/common/supervision.h"
#include "backends/runit/control.h"
#include "backends/runit/info.h"
#include "backends/runit/runit.h"
#include "util/error.h"
#include "util/fs.h"

namespace nixproc::runit {

namespace {

using Clock = std::chrono::steady_clock;

Supervised supervision_of(const DeployedInstance& instance) {
  return supervised_of(suite, instance, read_info<Info>(instance));
}

bool wait_unsupervised(const std::string& dir, std::chrono::milliseconds limit) {
  auto deadline = Clock::now() + limit;
  while (is_supervised(dir)) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// Makes the runsv of `service` exit: it closes the log service's input and
// exits once svlogd has written everything. A process the run script left
// behind can keep that pipe open; then svlogd is killed.
void exit_runsv(const Supervised& s, const DeployOptions& options) {
  const Service& service = s.service;
  if (!is_supervised(service.dir)) return;
  sv({"exit", service.dir}, 30);
  if (wait_unsupervised(service.dir, std::chrono::seconds(options.stop_timeout))) return;
  sv({"kill", service.dir + "/log"}, 30);
  if (!wait_unsupervised(service.dir, std::chrono::seconds(5)))
    throw instance_error(s.key, "the runsv of " + service.dir + " does not exit");
}

}  // namespace

static void activate(const DeployedInstance& instance, const DeployOptions& options) {
  Info info = read_info<Info>(instance);
  Supervised s = supervised_of(suite, instance, info);
  const Service& service = s.service;
  RunScripts scripts = stored_run_scripts(instance, info, "script");

  // A runsv without a link in the scan directory is left over from a stop
  // that did not finish; runsvdir would start a second one next to it.
  if (!fs::lexists(service.scan_link)) exit_runsv(s, options);
  bool supervised = is_supervised(service.dir);

  RunLinks links = link_run_scripts(s, scripts);
  link_service(s, options);

  std::string wait = std::to_string(options.stop_timeout);
  if (supervised) {
    // The runsv of an earlier start still runs: make it run the new scripts.
    if (links.log_changed)
      sv({"-w", wait, "force-restart", service.dir + "/log"}, options.stop_timeout + 30);
    if (links.run_changed)
      sv({"-w", wait, "force-restart", service.dir}, options.stop_timeout + 30);
    else
      sv({"up", service.dir}, 30);
  } else {
    wait_until_supervised(s);
  }
  // runsv has no previous PID to tell apart: any running one is the start.
  wait_until_up(s, options, false, -1);
}

static void confirm(const DeployedInstance& instance, const DeployOptions& options) {
  confirm_supervised(supervision_of(instance), options);
}

static void deactivate(const DeployedInstance& instance, const DeployOptions& options) {
  Supervised s = supervision_of(instance);
  const Service& service = s.service;
  if (is_supervised(service.dir)) {
    // TERM, and KILL when it is still there after the stop timeout.
    std::string wait = std::to_string(options.stop_timeout);
    RunResult stop = sv({"-w", wait, "force-stop", service.dir}, options.stop_timeout + 30);
    ServiceState state = service_state(service.dir);
    if (state.state == "run" || state.state == "finish")
      throw instance_error(s.key, "runsv still runs " + service.name + " (" + state.line + ")" +
                                      (stop.ok() ? "" : ": " + stop.out + stop.err));
  }
  // Unlinked first, so runsvdir does not start a new runsv when this one exits.
  if (fs::lexists(service.scan_link) && ::unlink(service.scan_link.c_str()) != 0)
    throw Error("cannot remove " + service.scan_link + ": " + fs::errno_text());
  exit_runsv(s, options);
  end_leftovers(s, options);
  if (fs::lexists(service.dir)) fs::remove_tree(service.dir);
  shut_down_if_idle(suite, s.scanner, options);
}

static InstanceStatus status(const DeployedInstance& instance, const DeployOptions&) {
  return supervised_status(supervision_of(instance));
}

// sv's own exit status, its words passed on.
static int sv_control(std::vector<std::string> args, const DeployOptions& options) {
  RunResult result = sv(args, options.activity_timeout);
  std::fputs(result.out.c_str(), stdout);
  std::fputs(result.err.c_str(), stderr);
  return result.ok() ? kActivityDone : kActivityFailed;
}

// Stopped, the service keeps its runsv for the next start.
static int stop(const DeployedInstance& instance, const DeployOptions& options) {
  Supervised s = supervision_of(instance);
  const Service& service = s.service;
  int stopped =
      is_supervised(service.dir)
          ? sv_control({"-w", std::to_string(options.stop_timeout), "force-stop", service.dir},
                       options)
          : kActivityDone;
  end_leftovers(s, options);
  return stopped;
}

static int restart(const DeployedInstance& instance, const DeployOptions& options) {
  Service service = supervision_of(instance).service;
  if (!is_supervised(service.dir)) return activate(instance, options), kActivityDone;
  return sv_control({"-w", std::to_string(options.stop_timeout), "force-restart", service.dir},
                    options);
}

static int reload(const DeployedInstance& instance, const DeployOptions& options) {
  return sv_control({"hup", supervision_of(instance).service.dir}, options);
}

const Backend backend = {
    .name = "runit",
    .description =
        "runit services: one runsvdir per state directory, a runsv and an svlogd per service",
    .native_type = "runit-service",
    .translate = translate,
    .render = render,
    .activate = activate,
    .deactivate = deactivate,
    .confirm = confirm,
    .status = status,
    .activities = {.stop = stop, .restart = restart, .reload = reload},
};

}  // namespace nixproc::runit
