#include "backends/common/manager_tool.h"

#include "util/error.h"

namespace nixproc {

RunResult run_tool(const ManagerTool& tool, const std::vector<std::string>& args,
                   const DeployOptions& options) {
  const std::string& program = tool.command.at(0);
  std::string hint = tool.missing_hint.empty() ? "" : "; " + tool.missing_hint;
  if (program.find('/') == std::string::npos && find_executable(program).empty())
    throw Error(program + " is not installed" + hint);
  std::vector<std::string> argv = tool.command;
  argv.insert(argv.end(), args.begin(), args.end());
  SpawnOptions spawn = capturing();
  spawn.timeout_seconds = options.activity_timeout;
  try {
    return run(argv, spawn);
  } catch (const Error& error) {
    throw Error("cannot run " + program + " (" + error.what() + ")" + hint);
  }
}

std::string tool_command_text(const ManagerTool& tool, const std::vector<std::string>& args) {
  std::string text;
  for (const auto& word : tool.command) text += (text.empty() ? "" : " ") + word;
  for (const auto& arg : args) text += " " + arg;
  return "`" + text + "`";
}

RunResult run_tool_or_fail(const ManagerTool& tool, const std::vector<std::string>& args,
                           const DeployOptions& options, const std::string& what) {
  RunResult result = run_tool(tool, args, options);
  if (result.ok()) return result;
  std::string message = result.err.empty() ? result.out : result.err;
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  throw Error(what + ": " + tool_command_text(tool, args) + " " + result.describe() +
              (message.empty() ? "" : ": " + message));
}

}  // namespace nixproc
