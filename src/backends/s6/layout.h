#pragma once
// Where the s6 of a state directory keeps its parts. The service directories
// live outside the read-only store because s6-supervise writes supervise/
// and event/ into them; they hold links to the stored files.
//
//   <runtimeDir>/nixproc-s6/service/<name> -> <libDir>/nixproc-s6/sv/<name>
//   <libDir>/nixproc-s6/sv/<name>/run, notification-fd, log/run -> store
//   <runtimeDir>/nixproc-s6-svscan.pid, <runtimeDir>/nixproc-s6/lock,
//   <logDir>/nixproc-s6-svscan.log
// The "nixproc-" prefix keeps them apart from the files of instances, which
// are named after the instance (an instance may well be called s6-svscan).
#include <string>

#include "core/state_dirs.h"

namespace nixproc::s6 {

struct Layout {
  std::string scan_dir;      // what s6-svscan watches: one link per service
  std::string service_root;  // the live service directories
  std::string pid_file;      // s6-svscan's
  std::string lock_file;     // serialises starting and stopping s6-svscan
  std::string log_file;      // s6-svscan's output
  std::string log_dir;       // s6-log writes <log_dir>/<name>/current
};

Layout layout_for(const StateDirs& dirs);

// The log service's run script: creates the log directory, then runs s6-log
// on it (blocking rather than losing lines, ISO 8601 timestamps, 20
// archived files of up to 1 MB).
std::string log_run_script(const std::string& log_dir);

}  // namespace nixproc::s6
