#pragma once
// Where the runit of a state directory keeps its parts. The service
// directories live outside the read-only store because runsv writes its
// supervise/ directory into them; they hold links to the stored run scripts.
//
//   <runtimeDir>/runit/service/<name> -> <libDir>/runit/sv/<name>   (scan dir)
//   <libDir>/runit/sv/<name>/run      -> store: the run script
//   <libDir>/runit/sv/<name>/log/run  -> store: exec svlogd -tt <logDir>/<name>
//   <runtimeDir>/runsvdir.pid, <runtimeDir>/runit/lock, <logDir>/runsvdir.log
#include <string>

#include "core/state_dirs.h"

namespace nixproc::runit {

struct Layout {
  std::string scan_dir;      // what runsvdir watches: one link per service
  std::string service_root;  // the live service directories
  std::string pid_file;      // runsvdir's
  std::string lock_file;     // serialises starting and stopping runsvdir
  std::string log_file;      // runsvdir's standard output
  std::string log_dir;       // svlogd writes <log_dir>/<name>/current
};

Layout layout_for(const StateDirs& dirs);

// The log service's run script: creates the log directory, then runs svlogd
// on it with timestamps.
std::string log_run_script(const std::string& log_dir);

}  // namespace nixproc::runit
