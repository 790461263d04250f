// nixproc-daemon: run a foreground program as a well-behaving daemon.
// Exit status: the Status of daemon/status.h (0 = the daemon is up), 100 for
// usage errors.
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "daemon/daemonize.h"

int main(int argc, char** argv) {
  using namespace nixproc::daemon;
  Options options;
  std::string umask_text = "022";
  bool no_pid_file = false;
  std::vector<std::string> command;
  CLI::App app{
      "Runs PROGRAM as a daemon: detached from the terminal and session, stdio to /dev/null or a "
      "log, a race-free PID file, optional user switch, and readiness reported through the exit "
      "status (0 once the program runs; see docs/daemon-tools.md for every status).",
      "nixproc-daemon"};
  app.add_option("--pid-file", options.pid_file,
                 "Write the daemon's PID here (a live one is refused, a stale one replaced)");
  app.add_flag("--no-pid-file", no_pid_file, "Do not write a PID file");
  app.add_option("--output", options.output,
                 "Append stdout and stderr to this file (default /dev/null)");
  app.add_option("--user", options.user, "Run as this user, with its groups (needs root)");
  app.add_option("--umask", umask_text, "File mode creation mask, octal (default 022)");
  app.add_option("--chdir", options.directory, "Working directory (default /)");
  app.add_flag(
      "--inherit-env", options.inherit_environment,
      "Keep the whole environment (default: only PATH, LANG, LC_*, TZ, HOME, USER, LOGNAME)");
  app.add_option("--env", options.environment,
                 "Set NAME=VALUE in the daemon's environment (repeatable)");
  app.add_option("--ready-fd", options.ready_fd,
                 "Wait until PROGRAM writes a newline to this fd before reporting success")
      ->check(CLI::Range(3, 1023));
  app.add_option("--ready-timeout", options.ready_timeout,
                 "Seconds to wait for readiness (default 60)")
      ->check(CLI::Range(1, 86400));
  app.add_option("command", command, "PROGRAM [ARGS...] (put -- before it)")->required();
  app.positionals_at_end();
  try {
    app.parse(argc, argv);
    if (options.pid_file.empty() && !no_pid_file)
      throw CLI::ValidationError("--pid-file", "is required (or pass --no-pid-file)");
    for (const auto& item : options.environment)
      if (item.find('=') == std::string::npos || item[0] == '=')
        throw CLI::ValidationError("--env", "expects NAME=VALUE, got " + item);
    size_t used = 0;
    unsigned long mask = std::stoul(umask_text, &used, 8);
    if (used != umask_text.size() || mask > 0777)
      throw CLI::ValidationError("--umask", "expects an octal mode");
    options.umask = static_cast<mode_t>(mask);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? 0 : 100;
  } catch (const std::exception&) {
    std::fprintf(stderr, "nixproc-daemon: --umask expects an octal mode\n");
    return 100;
  }
  Result result = daemonize_exec(options, command);
  if (result.status != Status::Success)
    std::fprintf(stderr, "nixproc-daemon: %s%s%s\n", describe(result.status),
                 result.detail.empty() ? "" : ": ", result.detail.c_str());
  return static_cast<int>(result.status);
}
