#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "backends/activity.h"
#include "backends/common/info.h"
#include "backends/common/supervision.h"
#include "backends/s6/control.h"
#include "backends/s6/info.h"
#include "backends/s6/s6.h"
#include "util/error.h"
#include "util/fs.h"

namespace nixproc::s6 {

namespace {

using Clock = std::chrono::steady_clock;

Supervised supervision_of(const DeployedInstance& instance) {
  return supervised_of(suite, instance, read_info<Info>(instance));
}

std::string milliseconds(int seconds) {
  return std::to_string(seconds * 1000);
}

// Takes the service down: TERM, then KILL when it is still up after the
// stop timeout. Throws when it stays up.
void take_down(const Supervised& s, const DeployOptions& options) {
  const Service& service = s.service;
  RunResult down =
      s6_tool({"s6-svc", "-wD", "-T", milliseconds(options.stop_timeout), "-d", service.dir},
              options.stop_timeout + 30);
  if (down.ok()) return;
  s6_tool({"s6-svc", "-wD", "-T", "5000", "-k", service.dir}, 35);
  ServiceState state = service_state(service.dir);
  if (state.up)
    throw instance_error(s.key, "s6-supervise still runs " + service.name +
                                    " (s6-svstat: " + state.line + "): " + down.out + down.err);
}

// Makes the service's supervisors (its own and its logger's) exit.
void remove_supervisors(const Supervised& s, const DeployOptions& options) {
  const Service& service = s.service;
  if (fs::lexists(service.scan_link)) {
    RunResult unlinked = s6_tool({"s6-svunlink", "-t", milliseconds(options.stop_timeout),
                                  fs::dirname(service.scan_link), service.name},
                                 options.stop_timeout + 30);
    if (!unlinked.ok() && fs::lexists(service.scan_link)) ::unlink(service.scan_link.c_str());
  }
  // Left over from an interrupted stop, or s6-svunlink gave up: tell them to exit.
  for (const std::string& dir : {service.dir, service.dir + "/log"})
    if (is_supervised(dir)) s6_tool({"s6-svc", "-x", "-d", dir}, 30);
  s6_tool({"s6-svscanctl", "-an", s.scanner.scan_dir}, 30);
  auto deadline = Clock::now() + std::chrono::seconds(options.stop_timeout + 5);
  while (is_supervised(service.dir) || is_supervised(service.dir + "/log")) {
    if (Clock::now() > deadline)
      throw instance_error(s.key, "the supervisors of " + service.dir + " do not exit");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

static void activate(const DeployedInstance& instance, const DeployOptions& options) {
  Info info = read_info<Info>(instance);
  Supervised s = supervised_of(suite, instance, info);
  const Service& service = s.service;
  RunScripts scripts = stored_run_scripts(instance, info, "file");
  bool reports_readiness = info.notification_fd.has_value();

  bool supervised = is_supervised(service.dir);
  if (supervised && !fs::lexists(service.scan_link)) {
    // Only a stop unlinks a service: this one was interrupted (its switch
    // was killed) and left supervisors that are exiting. Linked again,
    // s6-svscan would count them as the service's, the process reported
    // started would die right after, its supervisor come back a second
    // later and the logger's never exit. Finish that stop first.
    remove_supervisors(s, options);
    fs::remove_tree(service.dir);
    supervised = false;
  }
  long previous_pid = 0;
  if (supervised) previous_pid = service_state(service.dir).pid;
  RunLinks links = link_run_scripts(s, scripts);
  bool run_changed = links.run_changed, log_changed = links.log_changed;
  std::string notification = service.dir + "/notification-fd";
  if (reports_readiness)
    run_changed =
        point(stored_file(instance, *info.notification_fd, "notificationFd file"), notification) ||
        run_changed;
  else if (fs::lexists(notification))
    run_changed = ::unlink(notification.c_str()) == 0 || run_changed;
  link_service(s, options);

  if (supervised) {
    // Its supervisor still runs (after `nixproc stop`, or a repaired
    // switch): make it run the new files. s6-supervise reads run anew at
    // every start.
    if (log_changed) s6_tool({"s6-svc", "-r", service.dir + "/log"}, 30);
    if (run_changed && previous_pid)
      s6_tool({"s6-svc", "-r", "-u", service.dir}, 30);
    else
      s6_tool({"s6-svc", "-u", service.dir}, 30);
    if (!run_changed) previous_pid = 0;  // the running process is the right one
  } else {
    wait_until_supervised(s);
  }
  wait_until_up(s, options, reports_readiness, previous_pid);
}

static void confirm(const DeployedInstance& instance, const DeployOptions& options) {
  confirm_supervised(supervision_of(instance), options);
}

static void deactivate(const DeployedInstance& instance, const DeployOptions& options) {
  Supervised s = supervision_of(instance);
  if (is_supervised(s.service.dir)) take_down(s, options);
  remove_supervisors(s, options);
  end_leftovers(s, options);
  if (fs::lexists(s.service.dir)) fs::remove_tree(s.service.dir);
  shut_down_if_idle(suite, s.scanner, options);
}

static InstanceStatus status(const DeployedInstance& instance, const DeployOptions&) {
  return supervised_status(supervision_of(instance));
}

// Stopped, the service keeps its s6-supervise for the next start.
static int stop(const DeployedInstance& instance, const DeployOptions& options) {
  Supervised s = supervision_of(instance);
  if (is_supervised(s.service.dir)) take_down(s, options);
  end_leftovers(s, options);
  return kActivityDone;
}

static int reload(const DeployedInstance& instance, const DeployOptions&) {
  RunResult result = s6_tool({"s6-svc", "-h", supervision_of(instance).service.dir}, 30);
  std::fputs(result.err.c_str(), stderr);
  return result.ok() ? kActivityDone : kActivityFailed;
}

const Backend backend = {
    .name = "s6",
    .description =
        "s6 service directories: one s6-svscan per state directory, an s6-supervise and an s6-log "
        "per service, readiness by notification fd",
    .native_type = "s6-service",
    .translate = translate,
    .render = render,
    .activate = activate,
    .deactivate = deactivate,
    .confirm = confirm,
    .status = status,
    .activities = {.stop = stop, .reload = reload},
};

}  // namespace nixproc::s6
