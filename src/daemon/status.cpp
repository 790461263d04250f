#include "daemon/status.h"

namespace nixproc::daemon {

const char* describe(Status status) {
  switch (status) {
    case Status::Success:
      return "Daemon initialized successfully!";
    case Status::CannotAttachStdFds:
      return "Cannot attach the standard file descriptors!";
    case Status::CannotChdir:
      return "Cannot change the working directory!";
    case Status::CannotCreatePidFile:
      return "Cannot create PID file!";
    case Status::CannotInitDaemon:
      return "Cannot initialize the daemon!";
    case Status::CannotUnlinkPidFile:
      return "Cannot unlink PID file!";
    case Status::CannotCloseFds:
      return "Cannot close the non-standard file descriptors!";
    case Status::CannotResetSignals:
      return "Cannot reset the signal handlers!";
    case Status::CannotClearSignalMask:
      return "Cannot clear the signal mask!";
    case Status::CannotCreatePipe:
      return "Cannot create the notification pipe!";
    case Status::CannotForkHelper:
      return "Cannot fork the helper process!";
    case Status::CannotReadPipe:
      return "Cannot read from the notification pipe!";
    case Status::CannotSetSid:
      return "Cannot start a new session!";
    case Status::CannotForkDaemon:
      return "Cannot fork the daemon process!";
    case Status::UnknownDaemonError:
      return "The daemon ended before reporting its status!";
    case Status::CannotDropPrivileges:
      return "Cannot drop privileges!";
    case Status::NotReady:
      return "The daemon did not report readiness!";
    case Status::AlreadyRunning:
      return "The daemon is already running!";
  }
  return "Unknown daemon status!";
}

std::optional<Status> status_from_byte(unsigned char byte) {
  if (byte > static_cast<unsigned char>(Status::AlreadyRunning)) return std::nullopt;
  return static_cast<Status>(byte);
}

}  // namespace nixproc::daemon
