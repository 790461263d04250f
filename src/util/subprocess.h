#pragma once
// Running other programs: posix_spawn, no shell in between.
#include <string>
#include <vector>

namespace nixproc {

struct SpawnOptions {
  // With `replace_environment`, the child gets exactly `environment`
  // ("NAME=value" entries); otherwise it inherits ours plus `environment`.
  std::vector<std::string> environment;
  bool replace_environment = false;
  bool capture_stdout = false;
  bool capture_stderr = false;
  // Seconds before the child is killed (SIGTERM, then SIGKILL); 0 = no limit.
  int timeout_seconds = 0;
};

// Options that capture both stdout and stderr.
inline SpawnOptions capturing() {
  SpawnOptions options;
  options.capture_stdout = options.capture_stderr = true;
  return options;
}

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;      // the terminating signal, if any
  bool timed_out = false;
  std::string out, err;
  bool ok() const { return exit_code == 0; }
  // "exited with status 3", "was killed by signal 9", "timed out after 5 s"
  std::string describe() const;
};

// Runs argv[0] (looked up on PATH when it has no slash) and waits for it.
// Throws nixproc::Error only when the program cannot be started at all.
RunResult run(const std::vector<std::string>& argv, const SpawnOptions& options = {});

// Finds an executable on PATH; empty when there is none.
std::string find_executable(const std::string& name);

// The PATH of the processes nixproc starts (sanitised_environment).
inline constexpr const char* kServicePath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The environment a managed process gets when nixproc starts it: a fixed
// PATH (kServicePath) plus LANG/LC_*/TZ/TERM/HOME/USER/LOGNAME when set, nothing else, as
// Debian's service(8) does. Keeps the invoking shell's secrets out of daemons.
std::vector<std::string> sanitised_environment();

}  // namespace nixproc
