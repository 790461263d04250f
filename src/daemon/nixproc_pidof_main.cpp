// nixproc-pidof [--pid-file FILE] PROGRAM: LSB pidofproc semantics.
// Exit 0: running (PIDs printed); 1: the PID file is stale; 3: not running;
// 4: usage error (LSB "unknown").
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "daemon/pidfile.h"

namespace {

constexpr int kRunning = 0;
constexpr int kStalePidFile = 1;
constexpr int kNotRunning = 3;
constexpr int kUnknown = 4;

}  // namespace

int main(int argc, char** argv) {
  using namespace nixproc::daemon;
  std::string pid_file, program;
  CLI::App app{
      "Prints the PIDs of a running PROGRAM. With --pid-file only that file counts, and only if "
      "its process is alive, started no later than the file was written, and runs PROGRAM. Exit "
      "status: 0 running, 1 stale PID file, 3 not running, 4 usage error.",
      "nixproc-pidof"};
  app.add_option("--pid-file,-p", pid_file, "The PID file to check");
  app.add_option("program", program, "The program's path or name")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : kUnknown;
  }

  if (!pid_file.empty()) {
    PidFileCheck check = check_pid_file(pid_file, program);
    if (check.state == PidFileCheck::Running) {
      std::printf("%d\n", static_cast<int>(check.pid));
      return kRunning;
    }
    return check.state == PidFileCheck::Stale ? kStalePidFile : kNotRunning;
  }
  auto pids = find_processes_by_program(program);
  if (pids.empty()) return kNotRunning;
  for (size_t i = 0; i < pids.size(); ++i)
    std::printf("%s%d", i == 0 ? "" : " ", static_cast<int>(pids[i]));
  std::printf("\n");
  return kRunning;
}
