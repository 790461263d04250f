#include "backends/common/process_control.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "backends/activity.h"
#include "daemon/pidfile.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace nixproc {

const char* run_state_name(RunState state) {
  switch (state) {
    case RunState::Running:
      return "running";
    case RunState::Stopped:
      return "stopped";
    case RunState::Stale:
      return "dead (stale PID file)";
    default:
      return "unknown";
  }
}

std::string log_excerpt(const std::string& log_file) {
  if (log_file.empty()) return "";
  std::string tail = fs::tail_of(log_file, 10);
  if (tail.empty()) return "";
  if (tail.back() != '\n') tail.push_back('\n');
  return "\nthe end of " + log_file + ":\n" + tail.substr(0, tail.size() - 1);
}

InstanceStatus pid_file_status(const std::string& pid_file, const std::string& program) {
  auto check = daemon::check_pid_file(pid_file, program);
  InstanceStatus status;
  status.pid = check.pid;
  switch (check.state) {
    case daemon::PidFileCheck::Running:
      status.state = RunState::Running;
      break;
    case daemon::PidFileCheck::Stale:
      status.state = RunState::Stale;
      status.detail = pid_file + " names no running " + fs::basename(program);
      status.pid = 0;
      break;
    default:
      status.state = RunState::Stopped;
      break;
  }
  return status;
}

static bool gone(long pid, const std::string& pid_file, const std::string& program) {
  if (::kill(static_cast<pid_t>(pid), 0) != 0) return true;
  return daemon::check_pid_file(pid_file, program).state != daemon::PidFileCheck::Running;
}

static bool wait_gone(long pid, const std::string& pid_file, const std::string& program,
                      std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!gone(pid, pid_file, program)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

void stop_pid_file_process(const std::string& what, const std::string& pid_file,
                           const std::string& program, int timeout) {
  auto check = daemon::check_pid_file(pid_file, program);
  if (check.state == daemon::PidFileCheck::Running) {
    ::kill(check.pid, SIGTERM);
    if (!wait_gone(check.pid, pid_file, program, std::chrono::seconds(timeout))) {
      ::kill(check.pid, SIGKILL);
      if (!wait_gone(check.pid, pid_file, program, std::chrono::seconds(2)))
        throw Error(what + ": process " + std::to_string(check.pid) + " survived SIGKILL");
    }
  }
  if (fs::lexists(pid_file)) ::unlink(pid_file.c_str());
}

bool wait_for_pid_file(const std::string& pid_file, const std::string& program, int timeout) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
  while (daemon::check_pid_file(pid_file, program).state != daemon::PidFileCheck::Running) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

int run_instance_script(const std::vector<std::string>& argv, const DeployOptions& deploy) {
  SpawnOptions options;
  options.environment = sanitised_environment();
  // How long a stop may take (the generated scripts' killproc reads it), and
  // that nixproc confirms a start itself (so a keeper reports it at once;
  // see Backend::confirm).
  options.environment.push_back("NIXPROC_STOP_TIMEOUT=" + std::to_string(deploy.stop_timeout));
  options.environment.push_back("NIXPROC_CONFIRMS_START=1");
  options.replace_environment = true;
  options.timeout_seconds = deploy.activity_timeout;
  options.capture_stdout = options.capture_stderr = deploy.capture_output;
  RunResult result = run(argv, options);
  if (deploy.capture_output) {
    std::string output = result.out + result.err;
    if (!output.empty() && output.back() != '\n') output.push_back('\n');
    std::fwrite(output.data(), 1, output.size(), stdout);
    std::fflush(stdout);
  }
  return result.ok() || result.exit_code > 0 ? result.exit_code : -1;
}

std::string script_outcome(int status) {
  return status < 0 ? " was killed or timed out" : " exited with status " + std::to_string(status);
}

int report_status(const DeployedInstance& instance, const InstanceStatus& status) {
  std::printf("%s: %s (%s)%s\n", instance.name.c_str(), run_state_name(status.state),
              status.detail.c_str(),
              status.pid ? (" PID " + std::to_string(status.pid)).c_str() : "");
  return status.state == RunState::Running ? kActivityDone : kNotRunning;
}

int activity_exit_status(const std::function<int()>& activity) {
  try {
    return activity();
  } catch (const Error& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return kActivityFailed;
  }
}

int unknown_activity(const std::string& manager, const std::string& activity,
                     const std::string& known) {
  std::fprintf(stderr, "the %s process manager has no activity \"%s\" (it has %s)\n",
               manager.c_str(), activity.c_str(), known.c_str());
  return kUnknownActivity;
}

}  // namespace nixproc
