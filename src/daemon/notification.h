#pragma once
// The pipes between a daemon and the process that started it: one status
// byte (plus, on failure, a text saying why), and the s6-style readiness line.
#include <optional>
#include <string>

#include "daemon/status.h"

namespace nixproc::daemon {

// Writes `status` and `detail` to `fd`, then closes it. A caller that has
// gone away (EPIPE) does not kill the daemon with SIGPIPE.
void send_status(int fd, Status status, const std::string& detail = "");

struct Notification {
  enum Kind { Received, EndOfFile, ReadError } kind = EndOfFile;
  std::optional<Status> status;  // Received: nullopt for a byte that is no Status
  std::string detail;            // the text after a failure byte
};

// Reads one status byte; after a failure byte also the detail text up to EOF.
Notification receive_status(int fd);

enum class Readiness { Ready, Closed, TimedOut };

// Waits at most `timeout_seconds` for a newline on `fd`: Ready, or Closed
// when every writer closed it without one, or TimedOut.
Readiness wait_for_ready_line(int fd, int timeout_seconds);

}  // namespace nixproc::daemon
