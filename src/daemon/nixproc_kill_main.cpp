// nixproc-kill --record DIR [--signal SIGNAL] [--timeout S]: stops or
// signals an instance that nixproc-foreground-proxy keeps, touching only the
// processes its record proves are the instance's (docs/daemon-tools.md).
// Exit status: 0 done (or nothing ran, when stopping), 1 something of the
// instance survived, 2 usage error, 4 the record cannot be trusted, 7 a
// signal was given but the instance does not run (LSB killproc).
#include <signal.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <string>

#include <CLI/CLI.hpp>

#include "daemon/instance_control.h"
#include "daemon/tool_exit_codes.h"

namespace {

struct SignalName {
  const char* name;
  int number;
};
constexpr SignalName kSignals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT},   {"KILL", SIGKILL},
    {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"TERM", SIGTERM},   {"CONT", SIGCONT},
    {"STOP", SIGSTOP}, {"ALRM", SIGALRM}, {"WINCH", SIGWINCH},
};

// HUP, SIGHUP, -HUP, hup or a number from 1 to 64.
int parse_signal(std::string text) {
  if (!text.empty() && text.front() == '-') text.erase(0, 1);
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos &&
      text.size() <= 2) {
    int number = std::stoi(text);
    if (number >= 1 && number <= 64) return number;
    throw CLI::ValidationError("--signal", "no signal has the number " + text);
  }
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (text.rfind("SIG", 0) == 0) text.erase(0, 3);
  for (const auto& signal : kSignals)
    if (text == signal.name) return signal.number;
  throw CLI::ValidationError("--signal", "unknown signal " + text);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace nixproc::daemon;
  using namespace nixproc::daemon::kill_exit;
  using nixproc::exit_status;
  std::string record, signal_text;
  int timeout = 10;
  CLI::App app{
      "Stops the instance whose record is DIR: TERM to its nixproc-foreground-proxy, which stops "
      "the main process and everything the instance runs; what does not end within --timeout is "
      "killed, a proxy that does not end too. With --signal, sends that signal to the instance's "
      "main process instead (through its proxy) and returns. Only processes the record proves "
      "are the instance's are signalled.",
      "nixproc-kill"};
  app.footer(nixproc::exit_status_section({
      exit_status(kDone, "stopped (or nothing ran), or the signal was sent"),
      exit_status(kSurvived, "a process of the instance survived KILL"),
      exit_status(kUsage, "usage error"),
      exit_status(kUntrusted, "the record cannot be trusted"),
      exit_status(kNotRunning, "--signal, but the instance does not run"),
  }));
  app.add_option("--record", record, "The instance's record directory")->required();
  app.add_option("--signal,-s", signal_text, "Send this signal (HUP, USR1, 10, ...) and return");
  app.add_option("--timeout", timeout, "Seconds to wait before KILL (default 10)")
      ->check(CLI::Range(0, 86400));
  int signal = 0;
  try {
    app.parse(argc, argv);
    if (!signal_text.empty()) signal = parse_signal(signal_text);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : kUsage;
  }

  if (signal != 0) {
    InstanceState state = inspect_instance(record);
    if (!state.problem.empty()) {
      std::fprintf(stderr, "nixproc-kill: %s\n", state.problem.c_str());
      return kUntrusted;
    }
    return signal_instance(record, signal) ? kDone : kNotRunning;
  }
  StopResult stopped = stop_instance(record, timeout);
  if (!stopped.problem.empty()) {
    std::fprintf(stderr, "nixproc-kill: %s\n", stopped.problem.c_str());
    return kUntrusted;
  }
  if (stopped.survivors.empty()) return kDone;
  std::string pids;
  for (const auto& process : stopped.survivors) pids += " " + std::to_string(process.pid);
  std::fprintf(stderr, "nixproc-kill: processes of %s survived KILL:%s\n", record.c_str(),
               pids.c_str());
  return kSurvived;
}
