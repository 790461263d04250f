#pragma once
// What the supervising backends (supervisord, s6, runit) share: they all run
// a process in the foreground through a generated run script. The script sets
// the environment, runs `initialize` with the manager's privileges, then execs
// the process as its user; a daemon-only process is run through
// nixproc-foreground-proxy so the supervisor still sees one foreground process.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "model/fields.h"

namespace nixproc {

struct RunSpec {
  std::string name;
  std::string process;  // the executable
  std::vector<std::string> args;
  bool is_daemon = false;               // forks into the background: needs the proxy
  std::optional<std::string> pid_file;  // where the daemon writes its PID
  std::string initialize;
  std::map<std::string, std::string> environment;  // PATH from `path` merged in
  std::optional<std::string> directory, umask, nice;
  std::optional<std::string> effective_user;  // null: no user switching
  int notify_fd = -1;                         // the proxy reports readiness on this fd (s6)
  bool stderr_to_stdout = false;
  // Run under nixproc-foreground-proxy keeping this record (supervisord, s6,
  // runit): the keeper ends whatever the instance leaves and proves which
  // processes are the instance's. Unset: the script execs the program (a
  // daemon-only one through the proxy without a record).
  std::optional<std::string> record;
};

// The config every supervising backend's translate produces from a managed
// process (foreground mode preferred; daemon-only processes get processIsDaemon
// and the PID file they write).
json translate_supervised(const model::ManagedProcess& process, const Context& context);

// Reads the shared fields of such a config (the backend reads its own first).
RunSpec read_run_spec(model::FieldReader& reader, const RenderInput& input);

// "#! /bin/sh -e" ... "exec <process> <args>", every value shell-quoted;
// with a record, "exec nixproc-foreground-proxy --record ... -- <process>".
std::string render_run_script(const RunSpec& spec, const Context& context);

}  // namespace nixproc
