// nixproc-pidof [--pid-file FILE] PROGRAM: LSB pidofproc semantics.
// Exit 0: running (PIDs printed); 1: the PID file is stale; 3: not running; 4: usage.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "daemon/pidfile.h"

int main(int argc, char** argv) {
  using namespace nixproc::daemon;
  std::string pid_file, program;
  CLI::App app{
      "Prints the PID of a running PROGRAM. With --pid-file only that file counts, and only if its "
      "process is alive, started before the file was written, and runs PROGRAM. Exit status: 0 "
      "running, 1 stale PID file, 3 not running, 4 usage error.",
      "nixproc-pidof"};
  app.add_option("--pid-file,-p", pid_file, "The PID file to check");
  app.add_option("program", program, "The program's path or name")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? 0 : 4;
  }
  if (!pid_file.empty()) {
    PidFileCheck check = check_pid_file(pid_file, program);
    if (check.state == PidFileCheck::Running) {
      std::printf("%d\n", check.pid);
      return 0;
    }
    return check.state == PidFileCheck::Stale ? 1 : 3;
  }
  auto pids = find_processes_by_program(program);
  if (pids.empty()) return 3;
  for (size_t i = 0; i < pids.size(); ++i) std::printf("%s%d", i ? " " : "", pids[i]);
  std::printf("\n");
  return 0;
}
