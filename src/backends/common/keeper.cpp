#include "backends/common/keeper.h"

#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "daemon/instance_control.h"
#include "util/error.h"

namespace nixproc {

namespace {

// How long nixproc-daemon waits for the start to succeed: initialize may take
// long (creating a database).
constexpr int kReadyTimeout = 300;

// Record directory -> the keeper its instance's activation started; the
// switch's threads activate in parallel.
std::mutex started_mutex;
std::map<std::string, pid_t> started_keepers;

}  // namespace

std::vector<std::string> keeper_command(const Context& context, const KeeperLaunch& launch) {
  std::vector<std::string> command;
  if (launch.nice) command = {"nice", "-n", *launch.nice};
  command.insert(command.end(),
                 {context.runtime + "/bin/nixproc-foreground-proxy", "--record", launch.record});
  if (!launch.initialize.empty())
    command.insert(command.end(), {"--initialize", launch.initialize});
  if (launch.user) command.insert(command.end(), {"--user", *launch.user});
  if (launch.directory) command.insert(command.end(), {"--chdir", *launch.directory});
  if (launch.umask) command.insert(command.end(), {"--umask", *launch.umask});
  if (launch.is_daemon && launch.pid_file)
    command.insert(command.end(), {"--pid-file", *launch.pid_file});
  else if (launch.is_daemon)
    command.push_back("--daemon");
  else if (launch.pid_file)
    command.insert(command.end(), {"--main-pid-file", *launch.pid_file});
  if (launch.notify_fd >= 0)
    command.insert(command.end(), {"--notify-fd", std::to_string(launch.notify_fd)});
  command.push_back("--");
  command.insert(command.end(), launch.command.begin(), launch.command.end());
  return command;
}

std::vector<std::string> daemonised_keeper_command(const Context& context,
                                                   const KeeperLaunch& launch,
                                                   const std::optional<std::string>& log_file) {
  std::vector<std::string> command = {context.runtime + "/bin/nixproc-daemon", "--no-pid-file",
                                      "--inherit-env"};
  if (log_file) command.insert(command.end(), {"--output", *log_file});
  command.insert(command.end(), {"--ready-fd", std::to_string(kDaemonReadyFd), "--ready-timeout",
                                 std::to_string(kReadyTimeout), "--"});
  KeeperLaunch notifying = launch;
  notifying.notify_fd = kDaemonReadyFd;
  auto keeper = keeper_command(context, notifying);
  command.insert(command.end(), keeper.begin(), keeper.end());
  return command;
}

InstanceStatus record_status(const std::string& record_dir) {
  daemon::InstanceState state = daemon::inspect_instance(record_dir);
  InstanceStatus status;
  if (!state.problem.empty()) {
    status.detail = state.problem;
    return status;
  }
  switch (state.kind) {
    case daemon::InstanceState::Running:
      status.state = RunState::Running;
      status.pid = state.main;
      break;
    case daemon::InstanceState::Starting:
      status.state = RunState::Running;
      status.detail = "starting";
      break;
    case daemon::InstanceState::Stopping:
      status.state = RunState::Stopped;
      status.detail = "stopping";
      break;
    case daemon::InstanceState::Orphaned:
      status.state = RunState::Stale;
      status.pid = state.main;
      status.detail = "its keeper is gone; start restarts it, stop ends it";
      break;
    case daemon::InstanceState::Stopped:
      status.state = RunState::Stopped;
      break;
  }
  return status;
}

long main_pid_behind(const std::string& record_dir, long manager_pid) {
  daemon::InstanceState state = daemon::inspect_instance(record_dir);
  return state.keeper == manager_pid && state.main ? state.main : manager_pid;
}

void note_start(const std::string& record_dir, pid_t keeper) {
  if (record_dir.empty()) return;
  std::lock_guard lock(started_mutex);
  started_keepers[record_dir] = keeper;
}

pid_t record_keeper(const std::string& record_dir) {
  return daemon::inspect_instance(record_dir).keeper;
}

void confirm_start(const std::string& what, const std::string& record_dir, int timeout_seconds,
                   const std::function<std::string()>& details) {
  pid_t keeper = 0;
  {
    std::lock_guard lock(started_mutex);
    auto found = started_keepers.find(record_dir);
    if (found == started_keepers.end()) return;
    keeper = found->second;
    started_keepers.erase(found);
  }
  auto ended = [&] { return Error(what + ": it ended right after it started" + details()); };
  if (keeper <= 0) throw ended();  // its keeper was gone by the time the start returned
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  for (;;) {
    daemon::RecordRead read = daemon::read_record(record_dir);
    const auto& record = read.record;
    if (record && record->keeper.pid == keeper) {
      if (!daemon::still_runs(record->keeper) ||
          (record->main.known() && !daemon::still_runs(record->main)))
        throw ended();
      if (record->ready) return;
    } else if (record && daemon::still_runs(record->keeper)) {
      throw ended();  // another keeper: the supervisor restarted it
    } else if (!daemon::is_live_process(keeper)) {
      throw ended();  // gone before it wrote its record
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw Error(what + ": its start did not succeed within " + std::to_string(timeout_seconds) +
                  " s" + details());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void end_instance_leftovers(const std::string& what, const std::string& record_dir,
                            int timeout_seconds) {
  daemon::StopResult stopped = daemon::stop_instance(record_dir, timeout_seconds);
  if (!stopped.survivors.empty())
    throw Error(what + ": " + std::to_string(stopped.survivors.size()) +
                " of its processes survived KILL (PID " +
                std::to_string(stopped.survivors.front().pid) + ")");
}

}  // namespace nixproc
