#pragma once
// Process control shared by the backends that track processes by PID file and
// run scripts: checking a PID file (never trusting a stale one), stopping a
// PID with TERM then KILL, and running a script with a clean environment.
#include <functional>
#include <string>
#include <vector>

#include "backends/backend.h"

namespace nixproc {

// Running only if the PID file names a live process of `program` that started
// before the file was written (see daemon/pidfile.h).
InstanceStatus pid_file_status(const std::string& pid_file, const std::string& program);

// TERM, wait up to `timeout` seconds, then KILL; removes the PID file.
// Throws nixproc::Error if the process survives KILL.
void stop_pid_file_process(const std::string& what, const std::string& pid_file,
                           const std::string& program, int timeout);

// Waits until the PID file names a running `program`; false after `timeout` s.
bool wait_for_pid_file(const std::string& pid_file, const std::string& program, int timeout);

// Runs a script of a deployed instance with the sanitised environment, its
// output going to ours (collected and written at once with `capture`).
// Returns its exit status (-1 when killed or timed out).
int run_instance_script(const std::vector<std::string>& argv, const DeployOptions& options);

// " exited with status N", or " was killed or timed out" for -1: how an
// error tells what became of run_instance_script's script.
std::string script_outcome(int status);

const char* run_state_name(RunState state);

// "\nthe end of LOG:\n<its last lines>", or "" when there is no such log:
// what a failed start printed, for its error message.
std::string log_excerpt(const std::string& log_file);

// The `status` activity of the supervising backends: prints
// "<name>: <state> (<detail>) PID <n>"; returns 0 when running, else 3 (LSB).
int report_status(const DeployedInstance& instance, const InstanceStatus& status);

// Runs one instance's activity: a nixproc::Error is printed on stderr and
// becomes exit status 1, so the activities of the other instances still run.
int activity_exit_status(const std::function<int()>& activity);

// An activity `manager` does not have: says which it has (`known`) on stderr;
// returns 2.
int unknown_activity(const std::string& manager, const std::string& activity,
                     const std::string& known);

}  // namespace nixproc
