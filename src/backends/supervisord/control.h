#pragma once
// Talking to the supervisord of a state directory through supervisorctl:
// starting it when none runs, asking for one program's state, and shutting
// it down when nixproc started it and no program is left.
#include <string>
#include <vector>

#include "backends/backend.h"
#include "util/subprocess.h"

namespace nixproc::supervisord {

struct Supervisor {
  std::string conf_dir, conf_file, socket, pid_file, log_file;
};

Supervisor supervisor_of(const DeployedInstance& instance);

bool is_running(const Supervisor& supervisor);

// Starts supervisord (writing nixproc's supervisord.conf when there is none)
// unless it runs; waits until it answers. Throws nixproc::Error.
void ensure_running(const Supervisor& supervisor, const DeployOptions& options);

// Stops supervisord when nixproc wrote its configuration and conf.d holds no
// program any more, so an undeploy leaves no process behind.
void shut_down_if_idle(const Supervisor& supervisor, const DeployOptions& options);

RunResult supervisorctl(const Supervisor& supervisor, const std::vector<std::string>& args,
                        int timeout_seconds);

struct ProgramState {
  std::string state;  // RUNNING, STARTING, BACKOFF, STOPPED, EXITED, FATAL, ... or "" (unknown)
  long pid = 0;
  std::string line;  // supervisorctl's own words
};

ProgramState program_state(const Supervisor& supervisor, const std::string& program);

}  // namespace nixproc::supervisord
