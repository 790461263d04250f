#pragma once
// What /proc says about a process: enough to decide whether a PID still
// belongs to the process a PID file was written for.
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

}  // namespace nixproc::daemon
