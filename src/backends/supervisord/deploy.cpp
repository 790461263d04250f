#include <chrono>
#include <thread>

#include "backends/activity.h"
#include "backends/common/info.h"
#include "backends/common/keeper.h"
#include "backends/common/process_control.h"
#include "backends/supervisord/control.h"
#include "backends/supervisord/info.h"
#include "backends/supervisord/supervisord.h"
#include "util/error.h"
#include "util/fs.h"

namespace nixproc::supervisord {

namespace {

std::string program_of(const DeployedInstance& instance) {
  return read_info<Info>(instance).program.value_or(instance.name);
}

std::string conf_link(const Supervisor& supervisor, const std::string& program) {
  return supervisor.conf_dir + "/conf.d/" + program + ".conf";
}

// Where to look when a program does not start.
std::string details(const Supervisor& supervisor) {
  return "; see " + supervisor.log_file + " and the program's log in the same directory";
}

// Waits until supervisord has spawned the program: STARTING or RUNNING, with
// the PID of the instance's keeper, which confirm then waits for. FATAL from
// an earlier attempt (the port was taken then) is started again: once the
// cause is gone, a start starts it.
void wait_until_spawned(const Supervisor& supervisor, const DeployedInstance& instance,
                        const DeployOptions& options) {
  std::string program = program_of(instance);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.activity_timeout);
  bool started = false;
  for (;;) {
    ProgramState state = program_state(supervisor, program);
    if ((state.state == "RUNNING" || state.state == "STARTING") && state.pid > 0) {
      note_start(read_info<Info>(instance).record, static_cast<pid_t>(state.pid));
      return;
    }
    if (state.state == "FATAL" && started)
      throw instance_error(instance.key, "supervisord could not keep " + program + " running (" +
                                             state.description + ")" + details(supervisor));
    if (!started &&
        (state.state == "FATAL" || state.state == "STOPPED" || state.state == "EXITED")) {
      start_program(supervisor, program);
      started = true;
      continue;
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw instance_error(instance.key, "" + program + " is not running after " +
                                             std::to_string(options.activity_timeout) + " s (" +
                                             state.state + " " + state.description + ")" +
                                             details(supervisor));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// What a keeper that supervisord had to kill left running.
void end_leftovers(const DeployedInstance& instance, const DeployOptions& options) {
  std::string record = read_info<Info>(instance).record;
  if (!record.empty())
    end_instance_leftovers(instance_label(instance.key), record, options.stop_timeout);
}

}  // namespace

static void activate(const DeployedInstance& instance, const DeployOptions& options) {
  Supervisor supervisor = supervisor_of(instance);
  std::string conf = stored_file(instance, read_info<Info>(instance).conf, "program section");
  ensure_running(supervisor, options);
  std::string program = program_of(instance);
  fs::replace_symlink(conf, conf_link(supervisor, program));
  try {
    update_program(supervisor, program);
  } catch (const Error& error) {
    throw instance_error(instance.key, "supervisord cannot add " + program + ": " + error.what());
  }
  wait_until_spawned(supervisor, instance, options);
}

static void confirm(const DeployedInstance& instance, const DeployOptions& options) {
  Supervisor supervisor = supervisor_of(instance);
  confirm_start(instance_label(instance.key), read_info<Info>(instance).record,
                options.activity_timeout, [&] { return details(supervisor); });
}

static void deactivate(const DeployedInstance& instance, const DeployOptions& options) {
  Supervisor supervisor = supervisor_of(instance);
  std::string program = program_of(instance);
  std::string link = conf_link(supervisor, program);
  if (fs::lexists(link)) ::unlink(link.c_str());
  if (!is_running(supervisor)) return end_leftovers(instance, options);
  // The section is gone: update stops the program and forgets it.
  std::string failure;
  ProgramState state;
  try {
    state = update_program(supervisor, program);
  } catch (const Error& error) {
    failure = error.what();
    if (is_running(supervisor)) state = program_state(supervisor, program);
  }
  if (!state.state.empty() && state.state != "STOPPED" && state.state != "EXITED" &&
      state.state != "FATAL")
    throw instance_error(instance.key, "supervisord still runs " + program + " (" + state.state +
                                           ")" + (failure.empty() ? "" : ": " + failure));
  end_leftovers(instance, options);
  shut_down_if_idle(supervisor, options);
}

static InstanceStatus status(const DeployedInstance& instance, const DeployOptions&) {
  Supervisor supervisor = supervisor_of(instance);
  InstanceStatus status;
  if (!is_running(supervisor)) {
    status.state = RunState::Stopped;
    status.detail = "supervisord is not running";
    return status;
  }
  ProgramState state = program_state(supervisor, program_of(instance));
  status.detail = state.state.empty() ? state.description : state.state;
  long main = main_pid_behind(read_info<Info>(instance).record, state.pid);
  // STARTING: supervisord waits for startsecs; the program runs when its
  // keeper's main process does.
  if (state.state == "RUNNING" || (state.state == "STARTING" && main != state.pid)) {
    status.state = RunState::Running;
    status.pid = main;
  } else if (state.state.empty() || state.state == "STOPPED" || state.state == "EXITED" ||
             state.state == "FATAL") {
    status.state = RunState::Stopped;
  }
  return status;
}

// Stopped, the program stays in supervisord for the next start.
static int stop(const DeployedInstance& instance, const DeployOptions& options) {
  Supervisor supervisor = supervisor_of(instance);
  if (is_running(supervisor)) stop_program(supervisor, program_of(instance));
  end_leftovers(instance, options);
  return kActivityDone;
}

static int reload(const DeployedInstance& instance, const DeployOptions&) {
  signal_program(supervisor_of(instance), program_of(instance), "HUP");
  return kActivityDone;
}

const Backend backend = {
    .name = "supervisord",
    .description =
        "supervisord programs, one supervisord per state directory, updated program by program",
    .native_type = "supervisord-program",
    .translate = translate,
    .render = render,
    .activate = activate,
    .deactivate = deactivate,
    .confirm = confirm,
    .status = status,
    .activities = {.stop = stop, .reload = reload},
    .profile_files = profile_files,
    .adapt_override = adapt_override,
};

}  // namespace nixproc::supervisord
