#include "backends/s6/layout.h"

#include "util/shell.h"

namespace nixproc::s6 {

Layout layout_for(const StateDirs& dirs) {
  Layout layout;
  layout.scan_dir = dirs.runtime_dir + "/nixproc-s6/service";
  layout.service_root = dirs.lib_dir + "/nixproc-s6/sv";
  layout.pid_file = dirs.runtime_dir + "/nixproc-s6-svscan.pid";
  layout.lock_file = dirs.runtime_dir + "/nixproc-s6/lock";
  layout.log_file = dirs.log_dir + "/nixproc-s6-svscan.log";
  layout.log_dir = dirs.log_dir;
  return layout;
}

std::string log_run_script(const std::string& log_dir) {
  return "#! /bin/sh -e\n"
         "mkdir -p " +
         shell_quote(log_dir) + "\nexec s6-log -b n20 s1000000 T " + shell_quote(log_dir) + "\n";
}

}  // namespace nixproc::s6
