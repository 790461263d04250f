#pragma once
// Where s6-rc keeps its parts for a state directory (reference 8.13):
//
//   <stateDir>/etc/s6/rc/compiled-<hash>  one compiled database per profile
//   <stateDir>/etc/s6/rc/compiled         -> the database the live state uses
//   <runtimeDir>/s6-rc                    s6-rc's live state (s6-rc-init)
//   <logDir>/s6-log/<name>/current        what the log companions write
// The services run under the s6-svscan nixproc runs for the state directory
// (the s6 backend's scan directory; `nixproc s6-svscan` runs it in front).
#include <string>

#include "backends/s6/control.h"
#include "core/state_dirs.h"

namespace nixproc::s6rc {

struct Layout {
  std::string compile_dir;
  std::string current_link;
  std::string live_dir;
  std::string log_dir;
  s6::Svscan svscan;
};

Layout layout_for(const StateDirs& dirs);

}  // namespace nixproc::s6rc
