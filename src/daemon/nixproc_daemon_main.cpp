// nixproc-daemon [OPTIONS] -- PROGRAM [ARGS...]: runs a foreground program
// as a well-behaving daemon (see docs/daemon-tools.md).
// Exit status: the daemon Status (0 once the program runs), 100 on usage errors.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "daemon/daemonize.h"
#include "util/exit_codes.h"

namespace {

// The Exit status section of --help: the daemon Status, then the usage error.
std::string exit_statuses() {
  using nixproc::daemon::Status;
  const std::pair<Status, const char*> meanings[] = {
      {Status::Success, "the program runs (and is ready, with --ready-fd)"},
      {Status::CannotAttachStdFds, "cannot attach stdin, stdout, stderr (/dev/null, --output)"},
      {Status::CannotChdir, "cannot change to the working directory"},
      {Status::CannotCreatePidFile, "cannot create the PID file"},
      {Status::CannotInitDaemon, "cannot initialise the daemon: the program cannot be executed"},
      {Status::CannotUnlinkPidFile, "cannot remove the PID file (library callback mode)"},
      {Status::CannotCloseFds, "cannot close the inherited descriptors"},
      {Status::CannotResetSignals, "cannot reset the signal handlers"},
      {Status::CannotClearSignalMask, "cannot clear the signal mask"},
      {Status::CannotCreatePipe, "cannot create the notification pipe"},
      {Status::CannotForkHelper, "cannot fork the helper process"},
      {Status::CannotReadPipe, "cannot read the notification pipe"},
      {Status::CannotSetSid, "setsid failed"},
      {Status::CannotForkDaemon, "cannot fork the daemon process"},
      {Status::UnknownDaemonError, "unknown error (the daemon died before reporting)"},
      {Status::CannotDropPrivileges, "cannot switch to --user"},
      {Status::NotReady, "the program runs but did not report readiness in time"},
      {Status::AlreadyRunning, "already running: the PID file names a live instance"},
  };
  std::vector<nixproc::ExitStatusRow> rows;
  for (const auto& [status, meaning] : meanings)
    rows.push_back(nixproc::exit_status(static_cast<int>(status), meaning));
  rows.push_back(nixproc::exit_status(nixproc::kDaemonToolUsage, "usage error"));
  return nixproc::exit_status_section(rows);
}

mode_t parse_umask(const std::string& text) {
  bool octal =
      !text.empty() && text.size() <= 4 && text.find_first_not_of("01234567") == std::string::npos;
  if (!octal) throw CLI::ValidationError("--umask", "expects an octal mode such as 022");
  unsigned long mask = std::stoul(text, nullptr, 8);
  if (mask > 0777) throw CLI::ValidationError("--umask", "expects a mode no larger than 0777");
  return static_cast<mode_t>(mask);
}

void check_environment_additions(const std::vector<std::string>& additions) {
  for (const auto& item : additions)
    if (item.find('=') == std::string::npos || item.front() == '=')
      throw CLI::ValidationError("--env", "expects NAME=VALUE, got '" + item + "'");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace nixproc::daemon;
  Options options;
  std::string umask_text = "022";
  bool no_pid_file = false;
  std::vector<std::string> command;

  CLI::App app{
      "Runs PROGRAM as a well-behaving daemon: detached from the terminal and the session, stdin "
      "from /dev/null, stdout and stderr to /dev/null or a log, a race-free PID file, an optional "
      "user switch. Exits once the program runs (or is ready): 0, or the failure status "
      "(docs/daemon-tools.md).",
      "nixproc-daemon"};
  app.footer(exit_statuses());
  app.add_option("--pid-file", options.pid_file,
                 "Write the program's PID here; a running one is refused (17), a stale one "
                 "replaced");
  app.add_flag("--no-pid-file", no_pid_file, "Write no PID file");
  app.add_option("--output", options.output,
                 "Append stdout and stderr to FILE (created 0640; default /dev/null)");
  app.add_option("--user", options.user, "Run as USER with its groups (needs root)");
  app.add_option("--umask", umask_text, "File mode creation mask, octal (default 022)");
  app.add_option("--chdir", options.directory, "Working directory (default /)");
  app.add_flag("--inherit-env", options.environment.inherit,
               "Keep the whole environment (default: only PATH, LANG, LC_*, TZ, HOME, USER, "
               "LOGNAME)");
  app.add_option("--env", options.environment.additions,
                 "Set NAME=VALUE in the program's environment (repeatable, applied last)");
  app.add_option("--ready-fd", options.ready_fd,
                 "Pass a pipe as fd N; success only once PROGRAM writes a newline to it")
      ->check(CLI::Range(3, 1023));
  app.add_option("--ready-timeout", options.ready_timeout,
                 "Seconds to wait for that newline (default 60)")
      ->check(CLI::Range(1, 86400));
  app.add_option("command", command, "PROGRAM [ARGS...], looked up on PATH without a slash")
      ->required();
  app.positionals_at_end();

  try {
    app.parse(argc, argv);
    if (options.pid_file.empty() && !no_pid_file)
      throw CLI::ValidationError("--pid-file", "is required (or pass --no-pid-file)");
    if (!options.pid_file.empty() && no_pid_file)
      throw CLI::ValidationError("--no-pid-file", "contradicts --pid-file");
    check_environment_additions(options.environment.additions);
    options.umask = parse_umask(umask_text);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : nixproc::kDaemonToolUsage;
  }

  Result result = daemonize_exec(options, command);
  if (result.status != Status::Success)
    std::fprintf(stderr, "nixproc-daemon: %s%s%s\n", describe(result.status),
                 result.detail.empty() ? "" : ": ", result.detail.c_str());
  return static_cast<int>(result.status);
}
