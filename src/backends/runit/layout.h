#pragma once
// Where the runit of a state directory keeps its parts. The service
// directories live outside the read-only store because runsv writes its
// supervise/ directory into them; they hold links to the stored run scripts.
//
//   <runtimeDir>/nixproc-runit/service/<name> -> <libDir>/nixproc-runit/sv/<name>
//   <libDir>/nixproc-runit/sv/<name>/run      -> store: the run script
//   <libDir>/nixproc-runit/sv/<name>/log/run  -> store: exec svlogd -tt <logDir>/<name>
//   <runtimeDir>/nixproc-runsvdir.pid, <runtimeDir>/nixproc-runit/lock,
//   <logDir>/nixproc-runsvdir.log
// The "nixproc-" prefix keeps them apart from the files of instances, which
// are named after the instance (an instance may well be called runsvdir).
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
