#pragma once
// Talking to the supervisord of a state directory through its XML-RPC
// socket: starting it when none runs, adding, changing and removing one
// program, asking for a program's state, and shutting it down when nixproc
// started it and no program is left.
#include <string>
#include <vector>

#include "backends/backend.h"

namespace nixproc::supervisord {

struct Supervisor {
  std::string conf_dir, conf_file, socket, pid_file, log_file;
  std::string tools_dir;  // ManagerProcess::tools_dir
};

Supervisor supervisor_of(const DeployedInstance& instance);

bool is_running(const Supervisor& supervisor);

// Starts supervisord (writing nixproc's supervisord.conf when there is none)
// unless it runs; waits until it answers. Throws nixproc::Error.
void ensure_running(const Supervisor& supervisor, const DeployOptions& options);

// Stops supervisord when nixproc wrote its configuration and conf.d holds no
// program any more, so an undeploy leaves no process behind.
void shut_down_if_idle(const Supervisor& supervisor, const DeployOptions& options);

struct ProgramState {
  std::string state;  // RUNNING, STARTING, BACKOFF, STOPPED, EXITED, FATAL, ... or "" (unknown)
  long pid = 0;
  std::string description;  // supervisord's own words
};

// What `supervisorctl update <program>` does: rereads the configuration and
// adds, replaces (stopping the old one) or removes the program's group.
// Returns the program's state right after, asked before another thread may
// shut supervisord down.
ProgramState update_program(const Supervisor& supervisor, const std::string& program);

ProgramState program_state(const Supervisor& supervisor, const std::string& program);

// start, stop (waiting until stopped) and signal one program; an error says
// what supervisord said.
void start_program(const Supervisor& supervisor, const std::string& program);
void stop_program(const Supervisor& supervisor, const std::string& program);
void signal_program(const Supervisor& supervisor, const std::string& program,
                    const std::string& signal);

}  // namespace nixproc::supervisord
