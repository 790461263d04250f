#include <cstdio>

#include "backends/activity.h"
#include "backends/common/info.h"
#include "backends/common/manager_tool.h"
#include "backends/common/process_control.h"
#include "backends/cygrunsrv/cygrunsrv.h"
#include "backends/cygrunsrv/info.h"
#include "backends/cygrunsrv/params.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace nixproc::cygrunsrv {

namespace {

std::string service_of(const DeployedInstance& instance) {
  return read_info<Info>(instance).service.value_or(service_name(instance.name));
}

const ManagerTool kCygrunsrv = {{"cygrunsrv"}, "the cygrunsrv process manager runs on Cygwin"};

// Runs cygrunsrv (from PATH) with `arguments`, its output captured.
RunResult cygrunsrv(const std::vector<std::string>& arguments, const DeployOptions& options) {
  return run_tool(kCygrunsrv, arguments, options);
}

void cygrunsrv_or_fail(const DeployedInstance& instance, const std::vector<std::string>& arguments,
                       const DeployOptions& options) {
  run_tool_or_fail(kCygrunsrv, arguments, options, instance_label(instance.key));
}

void print(const RunResult& result) {
  std::fwrite(result.out.data(), 1, result.out.size(), stdout);
  std::fwrite(result.err.data(), 1, result.err.size(), stderr);
}

}  // namespace

// cygrunsrv --install <service> <the parameter file's tokens>, then --start
// (the original only echoed the install command).
static InstanceStatus status(const DeployedInstance& instance, const DeployOptions& options);

static void activate(const DeployedInstance& instance, const DeployOptions& options) {
  std::string params =
      stored_file(instance, read_info<Info>(instance).params, "cygrunsrv parameter file");
  std::vector<std::string> install = {"--install", service_of(instance)};
  for (auto& token : parse_params(fs::read_file(params), params))
    install.push_back(std::move(token));
  cygrunsrv_or_fail(instance, install, options);
  cygrunsrv_or_fail(instance, {"--start", service_of(instance)}, options);
}

static void deactivate(const DeployedInstance& instance, const DeployOptions& options) {
  // A service that stopped by itself cannot be stopped again; only one that
  // still runs is an error.
  RunResult stop = cygrunsrv({"--stop", service_of(instance)}, options);
  if (!stop.ok() && status(instance, options).state == RunState::Running)
    throw instance_error(instance.key, "cygrunsrv --stop " + service_of(instance) + " " +
                                           stop.describe() + ": " + stop.err + stop.out);
  cygrunsrv_or_fail(instance, {"--remove", service_of(instance)}, options);
}

// cygrunsrv itself starts, stops and queries a service.
static int run_service_command(const DeployedInstance& instance, const std::string& activity,
                               const DeployOptions& options) {
  std::vector<std::vector<std::string>> steps;
  if (activity == "start")
    steps = {{"--start"}};
  else if (activity == "stop")
    steps = {{"--stop"}};
  else if (activity == "restart")
    steps = {{"--stop"}, {"--start"}};
  else if (activity == "status")
    steps = {{"--query"}};
  else
    return unknown_activity("cygrunsrv", activity, "start, stop, restart and status");
  int exit_code = 0;
  for (auto& step : steps) {
    step.push_back(service_of(instance));
    RunResult result = cygrunsrv(step, options);
    print(result);
    exit_code = result.ok() || result.exit_code > 0 ? result.exit_code : 1;
  }
  return exit_code;
}

// cygrunsrv --query prints "Current State : Running" (or Stopped, ...).
static InstanceStatus status(const DeployedInstance& instance, const DeployOptions& options) {
  InstanceStatus status;
  RunResult result = cygrunsrv({"--query", service_of(instance)}, options);
  if (!result.ok()) return status;
  size_t at = result.out.find("Current State");
  if (at == std::string::npos) return status;
  size_t colon = result.out.find(':', at);
  size_t end = result.out.find('\n', at);
  if (colon == std::string::npos || colon > end) return status;
  std::string state =
      result.out.substr(colon + 1, end == std::string::npos ? end : end - colon - 1);
  state.erase(0, state.find_first_not_of(" \t"));
  state.erase(state.find_last_not_of(" \t\r") + 1);
  if (state == "Running")
    status.state = RunState::Running;
  else if (state == "Stopped")
    status.state = RunState::Stopped;
  else
    status.detail = state;
  return status;
}

const Backend backend = {
    .name = "cygrunsrv",
    .description = "Windows services through Cygwin's cygrunsrv (install, start, stop, remove)",
    .native_type = "cygrunsrv-service",
    .translate = translate,
    .render = render,
    .activate = activate,
    .deactivate = deactivate,
    .status = status,
    .activities = {.script = run_service_command},
    .adapt_override = adapt_override,
};

}  // namespace nixproc::cygrunsrv
