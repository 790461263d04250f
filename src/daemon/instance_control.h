#pragma once
// What nixproc does with an instance through its record (instance_record.h):
// tell whether it runs, signal it, stop it. Only processes the record proves
// are the instance's are ever signalled: its keeper, its main process, and
// the processes that descend from them.
#include <string>
#include <vector>

#include "daemon/instance_record.h"

namespace nixproc::daemon {

struct InstanceState {
  enum Kind {
    Stopped,   // nothing of the instance runs
    Starting,  // its keeper runs; the main process is not known yet
    Running,   // its keeper and its main process run
    Stopping,  // its keeper runs, its main process has ended
    Orphaned,  // its keeper is gone, its main process still runs
  } kind = Stopped;
  pid_t keeper = 0, main = 0;
  std::string problem;  // the record could not be trusted (then Stopped)
};

InstanceState inspect_instance(const std::string& record_dir);

// "running", "stopped", ... for messages.
const char* state_name(InstanceState::Kind kind);

// Ends `processes` (and what descends from them meanwhile): TERM, KILL for
// those still there after `timeout_seconds`. Returns the ones that survived
// even KILL for 2 s (none, normally).
std::vector<ProcessIdentity> end_processes(std::vector<ProcessIdentity> processes,
                                           int timeout_seconds);

struct StopResult {
  bool was_running = false;
  std::vector<ProcessIdentity> survivors;  // empty: nothing of the instance runs any more
  std::string problem;
};

// Stops the instance: TERM to its keeper, which stops the main process and
// everything else of the instance, and waits `timeout_seconds` (plus a
// margin for the keeper's own clean-up); a keeper that does not end by then
// is killed, and what it leaves is ended like an orphaned main process and
// its descendants. The record goes with the last process.
StopResult stop_instance(const std::string& record_dir, int timeout_seconds);

// Sends `signal` to the instance: to its keeper, which passes it on to the
// main process, or to an orphaned main process itself. False when nothing
// of the instance runs.
bool signal_instance(const std::string& record_dir, int signal);

}  // namespace nixproc::daemon
