#include "backends/common/supervised.h"
#include "backends/s6rc/s6rc.h"
#include "model/managed_process.h"

namespace nixproc::s6rc {

// The shared run-script fields (a daemon-only process becomes a oneshot),
// plus the s6-log account the log companions run as, which nixproc creates
// like any other declared account when it may change users.
json translate(const model::ManagedProcess& process, const Context& context) {
  json config = translate_supervised(process, context);
  if (!config["processIsDaemon"].get<bool>() && !context.dirs.force_disable_user_change) {
    json& credentials = config["credentials"];
    if (!credentials.is_object()) credentials = json::object();
    credentials["groups"]["s6-log"] = json::object();
    credentials["users"]["s6-log"] = {
        {"group", "s6-log"}, {"description", "s6-log logging user"}, {"homeDir", "/var/empty"}};
  }
  return config;
}

}  // namespace nixproc::s6rc
