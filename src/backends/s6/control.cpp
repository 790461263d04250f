#include "backends/s6/control.h"

#include <sstream>

#include "util/fs.h"

namespace nixproc::s6 {

namespace {

// s6-svscanctl fails ("supervisor not listening") unless an s6-svscan reads
// <scan_dir>/.s6-svscan/control; -a (rescan) is harmless.
bool answers(const Scanner& svscan) {
  return fs::exists(svscan.scan_dir + "/.s6-svscan/control") &&
         s6_tool({"s6-svscanctl", "-a", svscan.scan_dir}, 30).ok();
}

SupervisedState supervised_state(const std::string& dir) {
  ServiceState state = service_state(dir);
  SupervisedState seen;
  seen.line = state.line;
  seen.summary = state.line;
  seen.pid = state.pid;
  seen.ready = state.ready;
  if (!state.known) return seen;
  if (state.up) {
    seen.seen = SupervisedState::Up;
    seen.summary = state.ready ? "up, ready" : "up";
  } else {
    seen.seen = state.wanted_up ? SupervisedState::Restarting : SupervisedState::Down;
    seen.summary = state.wanted_up ? "down, restarting" : "down";
  }
  return seen;
}

}  // namespace

const Suite suite = {
    .name = "s6",
    .scanner = "s6-svscan",
    .supervisor = "supervisor",
    .unwatched = "no s6-supervise watches it",
    .words = "s6-svstat: ",
    .command =
        [](const Scanner& svscan) {
          return std::vector<std::string>{"s6-svscan", svscan.scan_dir};
        },
    .answers = answers,
    .rescan =
        [](const Scanner& svscan) {
          s6_tool({"s6-svscanctl", "-a", svscan.scan_dir}, 30);
        },
    .rescans_after_link = true,
    .supervised_poll_ms = 20,
    .rescan_every = 10,
    .up_poll_ms = 20,
    .ask_to_exit =
        [](const Scanner& svscan, const ManagerProcess&, const DeployOptions&) {
          s6_tool({"s6-svscanctl", "-t", svscan.scan_dir}, 30);
        },
    .control_dir = ".s6-svscan",
    .is_supervised = is_supervised,
    .state = supervised_state,
    .up =
        [](const std::string& dir) {
          s6_tool({"s6-svc", "-u", dir}, 30);
        },
    .down =
        [](const std::string& dir) {
          s6_tool({"s6-svc", "-d", dir}, 30);
        },
    .down_after_up_is_failure = true,
    .unsupervised_details = [](const Service&,
                               const Scanner& svscan) { return fs::tail_of(svscan.log_file, 10); },
    .details = [](const Service& service, const Scanner&) { return service_log_tail(service); },
};

bool is_running(const Svscan& svscan) {
  return scanner_runs(suite, svscan);
}

void start_svscan(const Svscan& svscan, int timeout_seconds) {
  start_scanner(suite, svscan, timeout_seconds);
}

void with_svscan(const Svscan& svscan, const DeployOptions& options,
                 const std::function<void()>& link) {
  with_scanner(suite, svscan, options, link);
}

bool is_supervised(const std::string& dir) {
  return fs::exists(dir) && s6_tool({"s6-svok", dir}, 30).ok();
}

RunResult s6_tool(const std::vector<std::string>& argv, int timeout_seconds) {
  SpawnOptions options = capturing();
  options.timeout_seconds = timeout_seconds;
  return run(argv, options);
}

ServiceState service_state(const std::string& dir) {
  ServiceState state;
  RunResult result = s6_tool({"s6-svstat", "-o", "up,wantedup,ready,pid", dir}, 30);
  state.line = result.out.substr(0, result.out.find('\n'));
  if (!result.ok()) {
    state.line = result.out + result.err;
    return state;
  }
  // "true true false 1234" (pid -1 when down)
  std::istringstream words(state.line);
  std::string up, wanted_up, ready;
  long pid = -1;
  if (!(words >> up >> wanted_up >> ready >> pid)) return state;
  state.known = true;
  state.up = up == "true";
  state.wanted_up = wanted_up == "true";
  state.ready = ready == "true";
  state.pid = pid > 0 ? pid : 0;
  return state;
}

}  // namespace nixproc::s6
