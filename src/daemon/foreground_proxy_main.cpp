// nixproc-foreground-proxy --pid-file FILE [OPTIONS] -- PROGRAM [ARGS...]:
// runs a program that daemonises as if it ran in the foreground, for
// supervisors (see docs/daemon-tools.md). Exit status: the daemon's, or
// 100-103 for the proxy's own failures.
#include <fcntl.h>

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
      "Runs PROGRAM, which daemonises, as if it ran in the foreground: waits for it to exit and "
      "for PID_FILE to name the daemon, reports readiness, forwards TERM, INT, HUP, QUIT, USR1 "
      "and USR2 to the daemon (KILL after --stop-timeout for TERM, INT and QUIT) and exits when "
      "the daemon does, with its status. Failures: 100 usage error, 101 PROGRAM cannot be "
      "started, 102 PROGRAM failed, 103 no daemon in PID_FILE within --timeout "
      "(docs/daemon-tools.md).",
      "nixproc-foreground-proxy"};
  app.add_option("--pid-file", options.pid_file, "The PID file the daemon writes")->required();
  app.add_option("--notify-fd", options.notify_fd,
                 "Write a newline to fd N and close it once the daemon's PID is known")
      ->check(CLI::Range(3, 1023));
  app.add_option("--timeout", options.timeout,
                 "Seconds for PROGRAM to exit and the PID file to name a live process (default "
                 "30)")
      ->check(CLI::Range(1, 86400));
  app.add_option("--stop-timeout", options.stop_timeout,
                 "Seconds between a forwarded TERM, INT or QUIT and KILL (default 10)")
      ->check(CLI::Range(0, 86400));
  app.add_option("--chdir", directory, "PROGRAM's working directory (default: the proxy's)");
  app.add_option("--umask", umask_text, "PROGRAM's file mode creation mask, octal");
  app.add_option("command", options.command, "PROGRAM [ARGS...], looked up on PATH")->required();
  app.positionals_at_end();

  try {
    app.parse(argc, argv);
    if (options.pid_file.empty()) throw CLI::ValidationError("--pid-file", "must not be empty");
    if (options.notify_fd >= 0 && ::fcntl(options.notify_fd, F_GETFD) < 0)
      throw CLI::ValidationError("--notify-fd", "names no open descriptor");
    if (!directory.empty()) options.directory = directory;
    if (!umask_text.empty()) options.umask = parse_umask(umask_text);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : kProxyUsageError;
  }
  return run_foreground_proxy(options);
}
