#pragma once
// What /proc says about a process: enough to decide whether a PID still
// belongs to the process a PID file or an instance record was written for,
// and which processes descend from it.
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace nixproc::daemon {

// Whether `pid` exists and is neither a zombie nor dead.
bool is_live_process(pid_t pid);

// The processes whose parent is `parent`, zombies included (empty without
// /proc): what a subreaper has adopted.
std::vector<pid_t> child_processes(pid_t parent);

// When `pid` started, in seconds since the epoch (boot time from /proc/stat
// plus the start ticks from /proc/<pid>/stat); nullopt when unknown.
std::optional<double> process_start_time(pid_t pid);

// Whether process `pid` runs `program`: its executable is realpath(program) or
// has the same basename, or its argv[0] or argv[1] has that basename (which
// covers interpreted scripts, whose executable is the interpreter).
bool runs_program(pid_t pid, const std::string& program);

// The real path of this process's executable ("" if unknown).
std::string own_executable();

// This boot's identity (/proc/sys/kernel/random/boot_id), "" if unknown.
const std::string& boot_id();

// A process as nothing else can be: a PID is reused, a PID with the clock
// ticks since boot at which it started is not, within one boot.
struct ProcessIdentity {
  pid_t pid = 0;
  unsigned long long start_ticks = 0;
  std::string boot;

  bool known() const { return pid > 0; }
  bool operator==(const ProcessIdentity&) const = default;
};

// The identity of the live, non-zombie process `pid`; nullopt when there is
// none (or /proc cannot tell).
std::optional<ProcessIdentity> identify(pid_t pid);

// Whether the process `identity` names still runs (same PID, same start, same
// boot, not a zombie).
bool still_runs(const ProcessIdentity& identity);

// Sends `signal` to the process `identity` names, only if it still runs:
// through a pidfd where the kernel has them, so the check and the signal
// reach the same process even if the PID were reused in between.
bool signal_process(const ProcessIdentity& identity, int signal);

// One line of the process table.
struct ProcessEntry {
  pid_t pid = 0, parent = 0;
  unsigned long long start_ticks = 0;
  bool zombie = false;
};

// Every process /proc shows now.
std::vector<ProcessEntry> process_table();

// The live descendants of `root` in `table` (children first, then theirs),
// without `root` itself and without zombies.
std::vector<ProcessIdentity> live_descendants(const std::vector<ProcessEntry>& table, pid_t root);

}  // namespace nixproc::daemon
