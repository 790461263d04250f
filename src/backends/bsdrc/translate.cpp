#include <cstdlib>

#include "backends/bsdrc/bsdrc.h"
#include "model/managed_process.h"
#include "util/shell.h"

namespace nixproc::bsdrc {

// The rc.subr the scripts source: NIXPROC_BSDRC_RC_SUBR when set at build
// time (tests point it at a stand-in), else FreeBSD's; overrides.bsdrc.rcSubr
// wins over both.
static std::string default_rc_subr() {
  const char* configured = std::getenv("NIXPROC_BSDRC_RC_SUBR");
  return configured && *configured ? configured : "/etc/rc.subr";
}

// The generated createBSDRCScript arguments (reference section 3.2).
json translate(const model::ManagedProcess& process, const Context&) {
  json args = json::object();
  args["name"] = process.name;
  args["rcSubr"] = default_rc_subr();
  args["environment"] = process.environment;
  args["path"] = process.path;
  args["dependencies"] = process.dependencies;
  args["credentials"] = process.credentials;
  if (process.daemon) {
    args["command"] = *process.daemon;
    args["commandIsDaemon"] = true;
    args["commandArgs"] = process.daemon_args;
  } else {
    args["command"] = *process.foreground_process;
    args["commandIsDaemon"] = false;
    args["commandArgs"] = process.foreground_process_args;
  }
  // initialize runs in its own `sh -e`: a start_precmd function runs inside
  // rc.subr's `if`, where errexit would be ignored, and its first failing
  // command must stop the start.
  if (!process.initialize.empty())
    args["commands"] = {{"start", {{"pre", "/bin/sh -ec " + shell_quote(process.initialize)}}}};
  model::copy_optional_settings(process, args);
  return args;
}

}  // namespace nixproc::bsdrc
