#pragma once
// The outcome of daemonising, as one byte through the readiness pipe and as
// the exit status of the program that asked for it (the numbering of the
// "well-behaving daemon" article, extended for privileges and readiness).
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

const char* describe(Status status);

}  // namespace nixproc::daemon
