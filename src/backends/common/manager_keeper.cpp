#include "backends/common/manager_keeper.h"

#include <unistd.h>

#include "backends/common/keeper.h"
#include "backends/common/process_control.h"
#include "core/installation.h"
#include "daemon/instance_control.h"
#include "daemon/safe_files.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/subprocess.h"

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
  std::string libexec =
      manager.tools_dir.empty() ? locate_installation().libexec_dir : manager.tools_dir;
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
