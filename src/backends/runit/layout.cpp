#include "backends/runit/layout.h"

#include "util/shell.h"

namespace nixproc::runit {

Layout layout_for(const StateDirs& dirs) {
  return service_layout(dirs, "runit", "runsvdir");
}

std::string log_run_script(const std::string& log_dir) {
  return "#! /bin/sh -e\n"
         "mkdir -p " +
         shell_quote(log_dir) + "\nexec svlogd -tt " + shell_quote(log_dir) + "\n";
}

}  // namespace nixproc::runit
