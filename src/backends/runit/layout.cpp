#include "backends/runit/layout.h"

#include "util/shell.h"

namespace nixproc::runit {

Layout layout_for(const StateDirs& dirs) {
  Layout layout;
  layout.scan_dir = dirs.runtime_dir + "/nixproc-runit/service";
  layout.service_root = dirs.lib_dir + "/nixproc-runit/sv";
  layout.pid_file = dirs.runtime_dir + "/nixproc-runsvdir.pid";
  layout.lock_file = dirs.runtime_dir + "/nixproc-runit/lock";
  layout.log_file = dirs.log_dir + "/nixproc-runsvdir.log";
  layout.log_dir = dirs.log_dir;
  return layout;
}

std::string log_run_script(const std::string& log_dir) {
  return "#! /bin/sh -e\n"
         "mkdir -p " +
         shell_quote(log_dir) + "\nexec svlogd -tt " + shell_quote(log_dir) + "\n";
}

}  // namespace nixproc::runit
