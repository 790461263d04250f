#include "backends/common/keeper.h"

#include <unistd.h>

#include "backends/common/process_control.h"
#include "core/installation.h"
#include "daemon/instance_control.h"
#include "daemon/safe_files.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace nixproc {

namespace {

// The notification fd between nixproc-daemon and the keeper it starts.
constexpr int kDaemonReadyFd = 3;
// How long nixproc-daemon waits for the start to succeed: initialize may take
// long (creating a database).
constexpr int kReadyTimeout = 300;

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

void end_instance_leftovers(const std::string& what, const std::string& record_dir,
                            int timeout_seconds) {
  daemon::StopResult stopped = daemon::stop_instance(record_dir, timeout_seconds);
  if (!stopped.survivors.empty())
    throw Error(what + ": " + std::to_string(stopped.survivors.size()) +
                " of its processes survived KILL (PID " +
                std::to_string(stopped.survivors.front().pid) + ")");
}

}  // namespace nixproc

namespace nixproc {

std::string manager_record_for(const std::string& pid_file, const std::string& manager) {
  return fs::dirname(pid_file) + "/nixproc-managers/" + manager;
}

void start_manager(const ManagerProcess& manager, int timeout_seconds) {
  std::string problem;
  // Its PID file lives in nixproc's runtime directory: whatever is there
  // (a FIFO would block the manager, a directory would make it fail) goes.
  if (!daemon::remove_debris(manager.pid_file, &problem)) {
    if (fs::lexists(manager.pid_file) && !fs::is_directory(manager.pid_file))
      ::unlink(manager.pid_file.c_str());
    else
      throw Error("cannot start " + manager.what + ": " + problem);
  }
  fs::make_directories(fs::dirname(manager.log_file));
  std::string libexec = locate_installation().libexec_dir;
  std::vector<std::string> argv = {libexec + "/nixproc-daemon",
                                   "--no-pid-file",
                                   "--output",
                                   manager.log_file,
                                   "--ready-fd",
                                   std::to_string(kDaemonReadyFd),
                                   "--ready-timeout",
                                   std::to_string(timeout_seconds),
                                   "--",
                                   libexec + "/nixproc-foreground-proxy",
                                   "--record",
                                   manager.record,
                                   "--settle",
                                   "0",
                                   "--notify-fd",
                                   std::to_string(kDaemonReadyFd)};
  if (manager.keeper_writes_pid_file)
    argv.insert(argv.end(), {"--main-pid-file", manager.pid_file});
  argv.push_back("--");
  argv.insert(argv.end(), manager.command.begin(), manager.command.end());
  // nixproc-daemon sanitises the environment, which every supervisor and
  // service inherits.
  SpawnOptions spawn = capturing();
  spawn.environment = sanitised_environment();
  spawn.replace_environment = true;
  spawn.timeout_seconds = timeout_seconds + 5;
  RunResult started = run(argv, spawn);
  if (!started.ok())
    throw Error("cannot start " + manager.what + ": nixproc-daemon " + started.describe() +
                (started.err.empty() ? "" : ": " + started.err) + log_excerpt(manager.log_file));
}

bool manager_runs(const std::string& record) {
  auto kind = daemon::inspect_instance(record).kind;
  return kind == daemon::InstanceState::Running || kind == daemon::InstanceState::Starting ||
         kind == daemon::InstanceState::Orphaned;
}

void stop_manager(const ManagerProcess& manager, int timeout_seconds) {
  end_instance_leftovers(manager.what, manager.record, timeout_seconds);
}

}  // namespace nixproc
