#include "backends/s6/layout.h"

#include "util/shell.h"

namespace nixproc::s6 {

Layout layout_for(const StateDirs& dirs) {
  return service_layout(dirs, "s6", "s6-svscan");
}

std::string log_run_script(const std::string& log_dir) {
  return "#! /bin/sh -e\n"
         "mkdir -p " +
         shell_quote(log_dir) + "\nexec s6-log -b n20 s1000000 T " + shell_quote(log_dir) + "\n";
}

}  // namespace nixproc::s6
