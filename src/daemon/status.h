#pragma once
// The outcome of daemonising: one byte through the notification pipe and the
// exit status of the program that asked for it. The numbering is the one of
// the "well-behaving daemon" article, extended for privileges and readiness.
#include <optional>

namespace nixproc::daemon {

enum class Status : unsigned char {
  Success = 0,
  CannotAttachStdFds = 1,
  CannotChdir = 2,
  CannotCreatePidFile = 3,
  CannotInitDaemon = 4,
  CannotUnlinkPidFile = 5,
  CannotCloseFds = 6,
  CannotResetSignals = 7,
  CannotClearSignalMask = 8,
  CannotCreatePipe = 9,
  CannotForkHelper = 10,
  CannotReadPipe = 11,
  CannotSetSid = 12,
  CannotForkDaemon = 13,
  UnknownDaemonError = 14,
  CannotDropPrivileges = 15,
  NotReady = 16,
  AlreadyRunning = 17,
};

// A one-line English description, e.g. "Cannot create PID file!".
const char* describe(Status status);

// The Status a byte read from the pipe stands for; nullopt for other values.
std::optional<Status> status_from_byte(unsigned char byte);

}  // namespace nixproc::daemon
