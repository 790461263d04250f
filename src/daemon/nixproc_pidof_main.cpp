// nixproc-pidof [--pid-file FILE | --record DIR] [PROGRAM]: LSB pidofproc
// semantics. Exit 0: running (PIDs printed); 1: the PID file is stale, or
// the instance's main process runs without its keeper; 3: not running;
// 4: usage error or an untrusted record (LSB "unknown").
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "daemon/instance_control.h"
#include "daemon/pidfile.h"
#include "daemon/tool_exit_codes.h"

int main(int argc, char** argv) {
  using namespace nixproc::daemon;
  using namespace nixproc::daemon::pidof_exit;
  using nixproc::exit_status;
  std::string pid_file, record, program;
  CLI::App app{
      "Prints the PIDs of a running PROGRAM. With --record, of the instance that "
      "nixproc-foreground-proxy keeps there: its main process, as the record proves it. With "
      "--pid-file only that file counts, and only if it is a regular file its owner may write "
      "for that process, its process is alive, started no later than the file was written, and "
      "runs PROGRAM.",
      "nixproc-pidof"};
  app.footer(nixproc::exit_status_section({
      exit_status(kRunning, "running: the PIDs are printed"),
      exit_status(kStale, "stale PID file, or the instance runs without its keeper"),
      exit_status(kNotRunning, "not running"),
      exit_status(kUnknown, "usage error, or a record that cannot be trusted"),
  }));
  app.add_option("--pid-file,-p", pid_file, "The PID file to check");
  app.add_option("--record,-r", record, "The instance's record directory")->excludes("--pid-file");
  app.add_option("program", program, "The program's path or name (not needed with --record)");
  try {
    app.parse(argc, argv);
    if (record.empty() && program.empty()) throw CLI::RequiredError("program (or --record)");
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : kUsage;
  }

  if (!record.empty()) {
    InstanceState state = inspect_instance(record);
    if (!state.problem.empty()) {
      std::fprintf(stderr, "nixproc-pidof: %s\n", state.problem.c_str());
      return kUnknown;
    }
    switch (state.kind) {
      case InstanceState::Stopped:
        return kNotRunning;
      case InstanceState::Orphaned:
        std::fprintf(stderr,
                     "nixproc-pidof: process %d of %s runs without its keeper (start restarts "
                     "it, stop ends it)\n",
                     static_cast<int>(state.main), record.c_str());
        return kStale;
      default:
        std::printf("%d\n", static_cast<int>(state.main ? state.main : state.keeper));
        return kRunning;
    }
  }

  if (!pid_file.empty()) {
    PidFileCheck check = check_pid_file(pid_file, program);
    if (check.state == PidFileCheck::Running) {
      std::printf("%d\n", static_cast<int>(check.pid));
      return kRunning;
    }
    return check.state == PidFileCheck::Stale ? kStale : kNotRunning;
  }
  auto pids = find_processes_by_program(program);
  if (pids.empty()) return kNotRunning;
  for (size_t i = 0; i < pids.size(); ++i)
    std::printf("%s%d", i == 0 ? "" : " ", static_cast<int>(pids[i]));
  std::printf("\n");
  return kRunning;
}
