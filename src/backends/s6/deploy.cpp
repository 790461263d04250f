#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "backends/activity.h"
#include "backends/common/info.h"
#include "backends/common/keeper.h"
#include "backends/common/process_control.h"
#include "backends/s6/control.h"
#include "backends/s6/info.h"
#include "backends/s6/s6.h"
#include "util/error.h"
#include "util/fs.h"

namespace nixproc::s6 {

namespace {

using Clock = std::chrono::steady_clock;

// Points `link` at `target`; true when that changed anything.
bool point(const std::string& target, const std::string& link) {
  if (fs::is_symlink(link) && fs::read_link(link) == target) return false;
  fs::replace_symlink(target, link);
  return true;
}

std::string milliseconds(int seconds) {
  return std::to_string(seconds * 1000);
}

// The end of the service's own log, for errors.
std::string details(const Service& service) {
  std::string log = fs::tail_of(service.log_dir + "/current", 10);
  return log.empty() ? "" : "\nthe end of " + service.log_dir + "/current:\n" + log;
}

// Waits until s6-svscan has started an s6-supervise for the service.
void wait_until_supervised(const DeployedInstance& instance, const Service& service,
                           const Svscan& svscan) {
  auto deadline = Clock::now() + std::chrono::seconds(30);
  for (int i = 1; !is_supervised(service.dir); ++i) {
    if (Clock::now() > deadline)
      throw instance_error(instance.key, "s6-svscan did not start a supervisor for " +
                                             service.scan_link + " within 30 s" +
                                             fs::tail_of(svscan.log_file, 10));
    if (i % 10 == 0) s6_tool({"s6-svscanctl", "-a", svscan.scan_dir}, 30);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Waits until the service is up with a PID other than `previous_pid`: ready,
// when it reports readiness (a proxied daemon), else up with the same PID
// for a second, as supervisord's startsecs=1. A process that dies meanwhile
// is an error with its log (s6-supervise would restart it a second later).
void wait_until_up(const DeployedInstance& instance, const Service& service,
                   const DeployOptions& options, bool reports_readiness, long previous_pid) {
  auto deadline = Clock::now() + std::chrono::seconds(options.activity_timeout);
  long pid = 0;
  Clock::time_point since, down_since;
  bool down = false, asked = false;
  auto exited = [&](const ServiceState& state) {
    return instance_error(
        instance.key, service.name + " exited right after it started (s6-svstat: " + state.line +
                          ")" + details(service));
  };
  for (;;) {
    ServiceState state = service_state(service.dir);
    if (state.up && state.pid != previous_pid) {
      down = false;
      // Up: its keeper runs, and confirm waits for it to say the start
      // succeeded. (Profiles from before keepers: wait here.)
      if (std::string record = read_info<Info>(instance).record; !record.empty()) {
        note_start(record, static_cast<pid_t>(state.pid));
        return;
      }
      if (pid == 0) {
        pid = state.pid;
        since = Clock::now();
      } else if (state.pid != pid) {
        throw exited(state);
      }
      if (reports_readiness ? state.ready : Clock::now() - since >= std::chrono::seconds(1)) return;
    } else if (state.known && !state.up) {
      if (pid != 0) throw exited(state);
      if (!state.wanted_up && !asked) {
        s6_tool({"s6-svc", "-u", service.dir}, 30);
        asked = true;
        continue;
      }
      if (!down) down_since = Clock::now();
      down = true;
      if (Clock::now() - down_since > std::chrono::milliseconds(1500)) throw exited(state);
    }
    if (Clock::now() > deadline)
      throw instance_error(instance.key,
                           service.name + " is not " + (reports_readiness ? "ready" : "running") +
                               " after " + std::to_string(options.activity_timeout) +
                               " s (s6-svstat: " + state.line + ")" + details(service));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Takes the service down: TERM, then KILL when it is still up after the
// stop timeout. Throws when it stays up.
void take_down(const DeployedInstance& instance, const Service& service,
               const DeployOptions& options) {
  RunResult down =
      s6_tool({"s6-svc", "-wD", "-T", milliseconds(options.stop_timeout), "-d", service.dir},
              options.stop_timeout + 30);
  if (down.ok()) return;
  s6_tool({"s6-svc", "-wD", "-T", "5000", "-k", service.dir}, 35);
  ServiceState state = service_state(service.dir);
  if (state.up)
    throw instance_error(instance.key, "s6-supervise still runs " + service.name + " (s6-svstat: " +
                                           state.line + "): " + down.out + down.err);
}

// Makes the service's supervisors (its own and its logger's) exit.
void remove_supervisors(const DeployedInstance& instance, const Service& service,
                        const Svscan& svscan, const DeployOptions& options) {
  if (fs::lexists(service.scan_link)) {
    RunResult unlinked = s6_tool({"s6-svunlink", "-t", milliseconds(options.stop_timeout),
                                  fs::dirname(service.scan_link), service.name},
                                 options.stop_timeout + 30);
    if (!unlinked.ok() && fs::lexists(service.scan_link)) ::unlink(service.scan_link.c_str());
  }
  // Left over from an interrupted stop, or s6-svunlink gave up: tell them to exit.
  for (const std::string& dir : {service.dir, service.dir + "/log"})
    if (is_supervised(dir)) s6_tool({"s6-svc", "-x", "-d", dir}, 30);
  s6_tool({"s6-svscanctl", "-an", svscan.scan_dir}, 30);
  auto deadline = Clock::now() + std::chrono::seconds(options.stop_timeout + 5);
  while (is_supervised(service.dir) || is_supervised(service.dir + "/log")) {
    if (Clock::now() > deadline)
      throw instance_error(instance.key, "the supervisors of " + service.dir + " do not exit");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// What a keeper that was killed left running.
void end_leftovers(const DeployedInstance& instance, const DeployOptions& options) {
  std::string record = read_info<Info>(instance).record;
  if (!record.empty())
    end_instance_leftovers(instance_label(instance.key), record, options.stop_timeout);
}

}  // namespace

static void activate(const DeployedInstance& instance, const DeployOptions& options) {
  Svscan svscan = svscan_of(instance);
  Service service = service_of(instance);
  Info info = read_info<Info>(instance);
  std::string run_script = stored_file(instance, info.run, "run file");
  std::string log_script = stored_file(instance, info.log_run, "logRun file");
  bool reports_readiness = info.notification_fd.has_value();

  bool supervised = is_supervised(service.dir);
  if (supervised && !fs::lexists(service.scan_link)) {
    // Only a stop unlinks a service: this one was interrupted (its switch
    // was killed) and left supervisors that are exiting. Linked again,
    // s6-svscan would count them as the service's, the process reported
    // started would die right after, its supervisor come back a second
    // later and the logger's never exit. Finish that stop first.
    remove_supervisors(instance, service, svscan, options);
    fs::remove_tree(service.dir);
    supervised = false;
  }
  long previous_pid = 0;
  if (supervised) previous_pid = service_state(service.dir).pid;
  fs::make_directories(service.dir + "/log");
  bool run_changed = point(run_script, service.dir + "/run");
  bool log_changed = point(log_script, service.dir + "/log/run");
  std::string notification = service.dir + "/notification-fd";
  if (reports_readiness)
    run_changed =
        point(stored_file(instance, *info.notification_fd, "notificationFd file"), notification) ||
        run_changed;
  else if (fs::lexists(notification))
    run_changed = ::unlink(notification.c_str()) == 0 || run_changed;
  with_svscan(svscan, options, [&] { point(service.dir, service.scan_link); });

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
    wait_until_supervised(instance, service, svscan);
  }
  wait_until_up(instance, service, options, reports_readiness, previous_pid);
}

static void confirm(const DeployedInstance& instance, const DeployOptions& options) {
  Service service = service_of(instance);
  try {
    confirm_start(instance_label(instance.key), read_info<Info>(instance).record,
                  options.activity_timeout, [&] { return details(service); });
  } catch (const Error&) {
    // s6-supervise would retry a failed start every second, and the next
    // start would take one of those attempts for its own: a failed start is
    // down.
    if (is_supervised(service.dir)) s6_tool({"s6-svc", "-d", service.dir}, 30);
    throw;
  }
}

static void deactivate(const DeployedInstance& instance, const DeployOptions& options) {
  Svscan svscan = svscan_of(instance);
  Service service = service_of(instance);
  if (is_supervised(service.dir)) take_down(instance, service, options);
  remove_supervisors(instance, service, svscan, options);
  end_leftovers(instance, options);
  if (fs::lexists(service.dir)) fs::remove_tree(service.dir);
  shut_down_if_idle(svscan, options);
}

static InstanceStatus status(const DeployedInstance& instance, const DeployOptions&) {
  Svscan svscan = svscan_of(instance);
  Service service = service_of(instance);
  InstanceStatus status;
  if (!is_supervised(service.dir)) {
    status.state = RunState::Stopped;
    status.detail = is_running(svscan) ? "no s6-supervise watches it" : "s6-svscan is not running";
    return status;
  }
  ServiceState state = service_state(service.dir);
  if (!state.known) {
    status.detail = state.line;
  } else if (state.up) {
    status.state = RunState::Running;
    status.pid = main_pid_behind(read_info<Info>(instance).record, state.pid);
    status.detail = state.ready ? "up, ready" : "up";
  } else {
    status.state = RunState::Stopped;
    status.detail = state.wanted_up ? "down, restarting" : "down";
  }
  return status;
}

// Stopped, the service keeps its s6-supervise for the next start.
static int stop(const DeployedInstance& instance, const DeployOptions& options) {
  Service service = service_of(instance);
  if (is_supervised(service.dir)) take_down(instance, service, options);
  end_leftovers(instance, options);
  return kActivityDone;
}

static int reload(const DeployedInstance& instance, const DeployOptions&) {
  RunResult result = s6_tool({"s6-svc", "-h", service_of(instance).dir}, 30);
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
