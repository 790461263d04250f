#pragma once
// Exit statuses: nixproc's own, the usage status the daemon tools share, and
// the "Exit status:" section each binary's --help ends with (the docs list
// the same: README.md "Exit statuses", docs/daemon-tools.md).
//
// Where each binary's statuses are named:
//   nixproc                   here, and the activities' in backends/activity.h
//   nixproc-daemon            daemon/status.h (the daemon Status) and kDaemonToolUsage
//   nixproc-foreground-proxy  daemon/foreground_proxy.h (ProxyStatus)
//   nixproc-pidof, nixproc-kill, nixproc-chainload-user  daemon/tool_exit_codes.h
#include <string>
#include <utility>
#include <vector>

namespace nixproc {

// nixproc. A usage error (an unknown option, a missing argument: any of
// CLI11's parse errors) is a failure like any other, status 1.
constexpr int kExitSuccess = 0;
constexpr int kExitFailure = 1;  // the reason is on stderr
constexpr int kExitUsage = kExitFailure;
constexpr int kExitBusy = 2;           // another process holds the lock of the profile
constexpr int kExitInternal = 70;      // an internal error (sysexits' EX_SOFTWARE)
constexpr int kExitInterrupted = 130;  // `nixproc test` was interrupted (128 + SIGINT)

// nixproc-daemon and nixproc-foreground-proxy: a usage error, as in s6's tools.
constexpr int kDaemonToolUsage = 100;

struct ExitStatusRow {
  std::string status;  // "0", "101", "128+N", "N" (the program's own), ...
  std::string meaning;
};

// "Exit status:" and a line a row, in the layout of CLI11's option lists.
inline std::string exit_status_section(const std::vector<ExitStatusRow>& rows) {
  std::string text = "Exit status:\n";
  for (const auto& row : rows) {
    std::string line = "  " + row.status;
    line += line.size() < 8 ? std::string(8 - line.size(), ' ') : std::string(" ");
    text += line + row.meaning + "\n";
  }
  return text;
}

inline ExitStatusRow exit_status(int status, std::string meaning) {
  return {std::to_string(status), std::move(meaning)};
}

}  // namespace nixproc
