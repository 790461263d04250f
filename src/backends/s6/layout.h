#pragma once
// Where the s6 of a state directory keeps its parts: the layout of
// backends/common/service_dir.h with pm "s6" and scanner "s6-svscan".
// s6-supervise writes supervise/ and event/ into the service directories,
// which hold a notification-fd besides run and log/run.
#include <string>

#include "backends/common/service_dir.h"

namespace nixproc::s6 {

using Layout = ServiceLayout;

Layout layout_for(const StateDirs& dirs);

// The log service's run script: creates the log directory, then runs s6-log
// on it (blocking rather than losing lines, ISO 8601 timestamps, 20
// archived files of up to 1 MB).
std::string log_run_script(const std::string& log_dir);

}  // namespace nixproc::s6
