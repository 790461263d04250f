#pragma once
// How the backends that run processes themselves or under a plain
// supervisor (sysvinit, disnix, supervisord, s6, runit) start an instance:
// under nixproc-foreground-proxy, its keeper (see daemon/foreground_proxy.h),
// which records the instance's processes by identity and ends every one of
// them when the instance stops or its main process dies.
#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "core/state_dirs.h"

namespace nixproc {

// The fd on which a keeper tells nixproc-daemon that the start succeeded.
inline constexpr int kDaemonReadyFd = 3;

struct KeeperLaunch {
  std::string record;                // the instance's record directory
  std::vector<std::string> command;  // the program and its arguments
  bool is_daemon = false;            // the program daemonises
  // A daemon: the PID file it writes (none: its daemon is the process it
  // leaves). Otherwise where the keeper writes the program's PID, if anywhere.
  std::optional<std::string> pid_file;
  std::string initialize;  // runs first, with the keeper's privileges
  std::optional<std::string> user, directory, umask, nice;
  int notify_fd = -1;  // readiness, once the program stayed up for the settle time
};

// [nice -n N] <runtime>/bin/nixproc-foreground-proxy --record ... -- PROGRAM ARGS
std::vector<std::string> keeper_command(const Context& context, const KeeperLaunch& launch);

// <runtime>/bin/nixproc-daemon ... -- <keeper_command>: a detached keeper,
// for managers whose start command must return once the instance runs
// (sysvinit, disnix). The command succeeds only when the keeper reports that
// the start succeeded; its output and the program's go to `log_file` (none:
// /dev/null).
std::vector<std::string> daemonised_keeper_command(const Context& context,
                                                   const KeeperLaunch& launch,
                                                   const std::optional<std::string>& log_file);

// Run state of an instance from its record (what `nixproc status` shows).
InstanceStatus record_status(const std::string& record_dir);

// The main process's PID when `manager_pid` (what a supervisor reports) is
// the instance's keeper, else `manager_pid`.
long main_pid_behind(const std::string& record_dir, long manager_pid);

// Starts in two steps: `activate` returns once the instance's keeper runs
// (note_start remembers which one), and `confirm` waits until that keeper
// says the start succeeded, so a switch can start dependants meanwhile and
// wait for the settle times of all its starts at once.
void note_start(const std::string& record_dir, pid_t keeper);
// The keeper the record names now (0 when none runs), for note_start.
pid_t record_keeper(const std::string& record_dir);

// Waits until the keeper note_start noted for `record_dir` has recorded that
// the start succeeded (the main process stayed up for its settle time).
// Throws nixproc::Error naming `what`, with `details()` appended, when that
// keeper or its main process ended first (a supervisor's restart is another
// keeper), or after `timeout_seconds`. Nothing noted (nothing was started:
// it ran already): returns at once.
void confirm_start(const std::string& what, const std::string& record_dir, int timeout_seconds,
                   const std::function<std::string()>& details);

// Ends whatever of the instance still runs after its manager stopped it (a
// keeper that was killed leaves its processes); throws nixproc::Error when
// something survives.
void end_instance_leftovers(const std::string& what, const std::string& record_dir,
                            int timeout_seconds);

}  // namespace nixproc
