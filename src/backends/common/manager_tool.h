#pragma once
// Running a process manager's own command line tool (systemctl, launchctl,
// cygrunsrv, docker), its output captured, with one form for its failures:
// "WHAT: `TOOL ARGS` exited with status N: what it printed".
#include <string>
#include <vector>

#include "backends/backend.h"
#include "util/subprocess.h"

namespace nixproc {

struct ManagerTool {
  std::vector<std::string> command;  // the tool and its fixed arguments ("systemctl", "--user")
  // What to tell a user whose PATH lacks the tool ("the systemd process
  // manager needs a running systemd").
  std::string missing_hint;
};

// Runs the tool with `args`, for at most the activity timeout. Throws
// nixproc::Error (with the hint) when it cannot be run at all.
RunResult run_tool(const ManagerTool& tool, const std::vector<std::string>& args,
                   const DeployOptions& options);

// "`TOOL ARGS`", as the messages show a command.
std::string tool_command_text(const ManagerTool& tool, const std::vector<std::string>& args);

// run_tool, throwing nixproc::Error "WHAT: `TOOL ARGS` exited with status N:
// its stderr (else stdout)" unless it succeeded. Returns its result.
RunResult run_tool_or_fail(const ManagerTool& tool, const std::vector<std::string>& args,
                           const DeployOptions& options, const std::string& what);

}  // namespace nixproc
