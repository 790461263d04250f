// nixproc-foreground-proxy [OPTIONS] -- PROGRAM [ARGS...]: keeps one
// instance's processes together and runs them in the foreground, for
// supervisors and for nixproc-daemon (see docs/daemon-tools.md). Exit
// status: the main process's, or 100-105 for the proxy's own failures.
#include <fcntl.h>

#include <cstdlib>

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "daemon/foreground_proxy.h"

namespace {

mode_t parse_umask(const std::string& text) {
  bool octal =
      !text.empty() && text.size() <= 4 && text.find_first_not_of("01234567") == std::string::npos;
  if (!octal) throw CLI::ValidationError("--umask", "expects an octal mode such as 022");
  unsigned long mask = std::stoul(text, nullptr, 8);
  if (mask > 0777) throw CLI::ValidationError("--umask", "expects a mode no larger than 0777");
  return static_cast<mode_t>(mask);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace nixproc::daemon;
  ProxyOptions options;
  std::string directory, umask_text;

  CLI::App app{
      "Keeps one instance's processes together: runs INITIALIZE, then PROGRAM (as --user) in "
      "the foreground as its child, or, with --pid-file, a PROGRAM that daemonises until "
      "PID_FILE names one of its descendants. It is a subreaper, so nothing the instance starts "
      "escapes it; it keeps the instance's record (--record) by which nixproc recognises the "
      "instance's processes; it reports readiness once the main process stayed up for "
      "--settle seconds; it forwards TERM, INT, HUP, QUIT, USR1 and USR2 (KILL after "
      "--stop-timeout for TERM, INT and QUIT); and when the main process ends it ends every "
      "other process of the instance and exits with the main process's status, or with a "
      "status of its own when it fails (docs/daemon-tools.md).",
      "nixproc-foreground-proxy"};
  using nixproc::exit_status;
  app.footer(nixproc::exit_status_section({
      {"N", "the main process's: it was the keeper's child and exited (128+N: killed by N)"},
      exit_status(0, "a main process not the keeper's child exited after a stop signal"),
      exit_status(1, "a main process not the keeper's child vanished on its own"),
      exit_status(kProxyUsageError, "usage error (also: --notify-fd names no open descriptor)"),
      exit_status(kProxyCannotStart,
                  "cannot start: the record, a PID file, fork, --chdir, "
                  "--user or exec failed"),
      exit_status(kProxyLauncherFailed,
                  "INITIALIZE failed, or PROGRAM failed before its daemon "
                  "was known"),
      exit_status(kProxyPidFileTimeout, "no daemon in PID_FILE within --timeout"),
      exit_status(kProxyAlreadyRunning, "another keeper holds the record's lock"),
      exit_status(kProxyEndedAtOnce, "the main process ended within --settle seconds"),
      {"128+N", "stop signal N arrived before the main process was known"},
  }));
  app.add_option("--pid-file", options.pid_file,
                 "PROGRAM daemonises and its daemon writes this PID file");
  app.add_flag("--daemon", options.daemonises,
               "PROGRAM daemonises without a PID file: its daemon is the process it leaves");
  app.add_option("--main-pid-file", options.main_pid_file,
                 "Write the main process's PID here (without --pid-file)")
      ->excludes("--pid-file")
      ->excludes("--daemon");
  app.add_option("--record", options.record,
                 "The instance's record directory (its parent and it must be private to this "
                 "user)");
  app.add_option("--initialize", options.initialize,
                 "Shell commands to run first (/bin/sh -ec), with the proxy's privileges");
  app.add_option("--user", options.user, "Run PROGRAM as USER with its groups (needs root)");
  app.add_option("--notify-fd", options.notify_fd,
                 "Write a newline to fd N and close it once the start succeeded")
      ->check(CLI::Range(3, 1023));
  double settle = 0;
  auto* settle_option =
      app.add_option("--settle", settle,
                     "Seconds the main process must stay up for the start to succeed (default 1; "
                     "0 with --pid-file or --daemon, where the daemon's parent exiting says so)")
          ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--timeout", options.timeout,
                 "Seconds for PROGRAM to exit and the PID file to name a live process (default "
                 "30)")
      ->check(CLI::Range(1, 86400));
  app.add_option("--stop-timeout", options.stop_timeout,
                 "Seconds between a forwarded TERM, INT or QUIT and KILL, and again for what "
                 "the main process leaves (default 10)")
      ->check(CLI::Range(0, 86400));
  app.add_option("--chdir", directory, "PROGRAM's working directory (default: the proxy's)");
  app.add_option("--umask", umask_text, "The file mode creation mask of INITIALIZE and PROGRAM");
  app.add_option("command", options.command, "PROGRAM [ARGS...], looked up on PATH")->required();
  app.positionals_at_end();

  try {
    app.parse(argc, argv);
    if (app.count("--pid-file") && options.pid_file.empty())
      throw CLI::ValidationError("--pid-file", "must not be empty");
    if (options.notify_fd >= 0 && ::fcntl(options.notify_fd, F_GETFD) < 0)
      throw CLI::ValidationError("--notify-fd", "names no open descriptor");
    if (settle_option->count()) options.settle = settle;
    if (!directory.empty()) options.directory = directory;
    if (!umask_text.empty()) options.umask = parse_umask(umask_text);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : kProxyUsageError;
  }
  // nixproc confirms the starts it makes itself; the variable goes no
  // further than the keeper.
  if (const char* confirms = std::getenv("NIXPROC_CONFIRMS_START")) {
    options.notify_at_launch = std::string(confirms) == "1";
    ::unsetenv("NIXPROC_CONFIRMS_START");
  }
  return run_foreground_proxy(options);
}
