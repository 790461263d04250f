#pragma once
// Where the supervisord of a state directory keeps its configuration, socket,
// PID file and logs. SUPERVISORD_CONF_DIR (the original's variable) points
// nixproc at the conf dir of a supervisord that runs already.
#include <string>

#include "core/state_dirs.h"

namespace nixproc::supervisord {

struct Layout {
  std::string conf_dir;   // holds supervisord.conf and conf.d/
  std::string conf_file;  // <conf_dir>/supervisord.conf
  std::string socket, pid_file, log_file, log_dir;
};

Layout layout_for(const StateDirs& dirs);

// The supervisord.conf nixproc writes: a unix socket (no TCP port to collide
// on), the PID file and log in the state dirs, and conf.d/*.conf included
// relative to the file itself.
std::string base_config(const Layout& layout);

}  // namespace nixproc::supervisord
