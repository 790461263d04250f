#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "backends/activity.h"
#include "backends/common/info.h"
#include "backends/common/keeper.h"
#include "backends/common/process_control.h"
#include "backends/runit/control.h"
#include "backends/runit/info.h"
#include "backends/runit/runit.h"
#include "util/error.h"
#include "util/fs.h"

namespace nixproc::runit {

namespace {

using Clock = std::chrono::steady_clock;

// Points `link` at `target`; true when it pointed somewhere else before.
bool point(const std::string& target, const std::string& link) {
  bool changed = fs::is_symlink(link) && fs::read_link(link) != target;
  if (!fs::is_symlink(link) || changed) fs::replace_symlink(target, link);
  return changed;
}

// The end of the service's own log and runsvdir's complaints, for errors.
std::string details(const Service& service, const Runsvdir& runsvdir) {
  std::string text;
  std::string log = fs::tail_of(service.log_dir + "/current", 10);
  if (!log.empty()) text += "\nthe end of " + service.log_dir + "/current:\n" + log;
  std::string messages = runsvdir_messages(runsvdir);
  if (!messages.empty()) text += "\nrunsvdir's log: " + messages;
  return text;
}

// Waits until runsvdir has found the service and its runsv runs. runsvdir
// looks at the scan directory at least every 5 s; nudging it makes that
// about a second.
void wait_until_supervised(const DeployedInstance& instance, const Service& service,
                           const Runsvdir& runsvdir) {
  auto deadline = Clock::now() + std::chrono::seconds(30);
  for (int i = 0; !is_supervised(service.dir); ++i) {
    if (Clock::now() > deadline)
      throw instance_error(instance.key, "runsvdir did not start a runsv for " + service.scan_link +
                                             " within 30 s" + details(service, runsvdir));
    if (i % 4 == 0) nudge(runsvdir);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// Waits until the service runs and has kept its PID for a second, as
// supervisord's startsecs=1. A run script that exits at once is an error,
// with its log: runsv shows it down and wanted up, then starts it again a
// second later with another PID. (A fresh runsv shows "down, want up" too,
// for the moment before it first starts ./run.)
void wait_until_up(const DeployedInstance& instance, const Service& service,
                   const Runsvdir& runsvdir, const DeployOptions& options) {
  auto deadline = Clock::now() + std::chrono::seconds(options.activity_timeout);
  long pid = 0;
  Clock::time_point since, down_since;
  bool down = false, asked = false;
  auto exited = [&](const ServiceState& state) {
    return instance_error(instance.key, service.name + " exited right after it started (" +
                                            state.line + ")" + details(service, runsvdir));
  };
  for (;;) {
    ServiceState state = service_state(service.dir);
    bool restarting = (state.state == "down" && state.want_up) || state.state == "finish";
    if (state.state == "run") {
      down = false;
      // Running: its keeper runs, and confirm waits for it to say the start
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
      } else if (Clock::now() - since >= std::chrono::seconds(1)) {
        return;
      }
    } else if (restarting) {
      if (pid != 0) throw exited(state);
      if (!down) down_since = Clock::now();
      down = true;
      if (Clock::now() - down_since > std::chrono::milliseconds(1500)) throw exited(state);
    } else if (state.state == "down" && !asked) {
      sv({"up", service.dir}, 30);
      asked = true;
      continue;
    }
    if (Clock::now() > deadline)
      throw instance_error(instance.key, service.name + " is not running after " +
                                             std::to_string(options.activity_timeout) + " s (" +
                                             state.line + ")" + details(service, runsvdir));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
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
void exit_runsv(const DeployedInstance& instance, const Service& service,
                const DeployOptions& options) {
  if (!is_supervised(service.dir)) return;
  sv({"exit", service.dir}, 30);
  if (wait_unsupervised(service.dir, std::chrono::seconds(options.stop_timeout))) return;
  sv({"kill", service.dir + "/log"}, 30);
  if (!wait_unsupervised(service.dir, std::chrono::seconds(5)))
    throw instance_error(instance.key, "the runsv of " + service.dir + " does not exit");
}

// What a keeper that was killed left running.
void end_leftovers(const DeployedInstance& instance, const DeployOptions& options) {
  std::string record = read_info<Info>(instance).record;
  if (!record.empty())
    end_instance_leftovers(instance_label(instance.key), record, options.stop_timeout);
}

}  // namespace

static void activate(const DeployedInstance& instance, const DeployOptions& options) {
  Runsvdir runsvdir = runsvdir_of(instance);
  Service service = service_of(instance);
  Info info = read_info<Info>(instance);
  std::string run_script = stored_file(instance, info.run, "run script");
  std::string log_script = stored_file(instance, info.log_run, "logRun script");

  // A runsv without a link in the scan directory is left over from a stop
  // that did not finish; runsvdir would start a second one next to it.
  if (!fs::lexists(service.scan_link)) exit_runsv(instance, service, options);
  bool supervised = is_supervised(service.dir);

  fs::make_directories(service.dir + "/log");
  bool run_changed = point(run_script, service.dir + "/run");
  bool log_changed = point(log_script, service.dir + "/log/run");
  with_runsvdir(runsvdir, options, [&] {
    if (!fs::is_symlink(service.scan_link) || fs::read_link(service.scan_link) != service.dir)
      fs::replace_symlink(service.dir, service.scan_link);
  });

  std::string wait = std::to_string(options.stop_timeout);
  if (supervised) {
    // The runsv of an earlier start still runs: make it run the new scripts.
    if (log_changed)
      sv({"-w", wait, "force-restart", service.dir + "/log"}, options.stop_timeout + 30);
    if (run_changed)
      sv({"-w", wait, "force-restart", service.dir}, options.stop_timeout + 30);
    else
      sv({"up", service.dir}, 30);
  } else {
    wait_until_supervised(instance, service, runsvdir);
  }
  wait_until_up(instance, service, runsvdir, options);
}

static void confirm(const DeployedInstance& instance, const DeployOptions& options) {
  Runsvdir runsvdir = runsvdir_of(instance);
  Service service = service_of(instance);
  try {
    confirm_start(instance_label(instance.key), read_info<Info>(instance).record,
                  options.activity_timeout, [&] { return details(service, runsvdir); });
  } catch (const Error&) {
    // runsv would retry a failed start every second, and the next start
    // would take one of those attempts for its own: a failed start is down.
    if (is_supervised(service.dir)) sv({"down", service.dir}, 30);
    throw;
  }
}

static void deactivate(const DeployedInstance& instance, const DeployOptions& options) {
  Runsvdir runsvdir = runsvdir_of(instance);
  Service service = service_of(instance);
  if (is_supervised(service.dir)) {
    // TERM, and KILL when it is still there after the stop timeout.
    std::string wait = std::to_string(options.stop_timeout);
    RunResult stop = sv({"-w", wait, "force-stop", service.dir}, options.stop_timeout + 30);
    ServiceState state = service_state(service.dir);
    if (state.state == "run" || state.state == "finish")
      throw instance_error(instance.key, "runsv still runs " + service.name + " (" + state.line +
                                             ")" + (stop.ok() ? "" : ": " + stop.out + stop.err));
  }
  // Unlinked first, so runsvdir does not start a new runsv when this one exits.
  if (fs::lexists(service.scan_link) && ::unlink(service.scan_link.c_str()) != 0)
    throw Error("cannot remove " + service.scan_link + ": " + fs::errno_text());
  exit_runsv(instance, service, options);
  end_leftovers(instance, options);
  if (fs::lexists(service.dir)) fs::remove_tree(service.dir);
  shut_down_if_idle(runsvdir, options);
}

static InstanceStatus status(const DeployedInstance& instance, const DeployOptions&) {
  Runsvdir runsvdir = runsvdir_of(instance);
  Service service = service_of(instance);
  InstanceStatus status;
  if (!is_supervised(service.dir)) {
    status.state = RunState::Stopped;
    status.detail = is_running(runsvdir) ? "no runsv supervises it" : "runsvdir is not running";
    return status;
  }
  ServiceState state = service_state(service.dir);
  status.detail = state.state.empty() ? state.line : state.state;
  if (state.state == "run") {
    status.state = RunState::Running;
    status.pid = main_pid_behind(read_info<Info>(instance).record, state.pid);
  } else if (state.state == "down" || state.state == "finish") {
    status.state = RunState::Stopped;
  }
  return status;
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
  Service service = service_of(instance);
  int stopped =
      is_supervised(service.dir)
          ? sv_control({"-w", std::to_string(options.stop_timeout), "force-stop", service.dir},
                       options)
          : kActivityDone;
  end_leftovers(instance, options);
  return stopped;
}

static int restart(const DeployedInstance& instance, const DeployOptions& options) {
  Service service = service_of(instance);
  if (!is_supervised(service.dir)) return activate(instance, options), kActivityDone;
  return sv_control({"-w", std::to_string(options.stop_timeout), "force-restart", service.dir},
                    options);
}

static int reload(const DeployedInstance& instance, const DeployOptions& options) {
  return sv_control({"hup", service_of(instance).dir}, options);
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
