#include "backends/s6rc/layout.h"

#include "backends/s6/layout.h"

namespace nixproc::s6rc {

Layout layout_for(const StateDirs& dirs) {
  s6::Layout s6 = s6::layout_for(dirs);
  Layout layout;
  layout.compile_dir = dirs.state_dir + "/etc/s6/rc";
  layout.current_link = layout.compile_dir + "/compiled";
  layout.live_dir = dirs.runtime_dir + "/s6-rc";
  layout.log_dir = dirs.log_dir + "/s6-log";
  layout.svscan = {s6.scan_dir, s6.pid_file, s6.lock_file, s6.log_file};
  return layout;
}

}  // namespace nixproc::s6rc
