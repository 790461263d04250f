#pragma once
// Where the runit of a state directory keeps its parts: the layout of
// backends/common/service_dir.h with pm "runit" and scanner "runsvdir".
// runsv writes its supervise/ directory into the service directories.
#include <string>

#include "backends/common/service_dir.h"

namespace nixproc::runit {

using Layout = ServiceLayout;

Layout layout_for(const StateDirs& dirs);

// The log service's run script: creates the log directory, then runs svlogd
// on it with timestamps.
std::string log_run_script(const std::string& log_dir);

}  // namespace nixproc::runit
