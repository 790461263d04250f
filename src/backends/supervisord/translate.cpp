#include "backends/common/supervised.h"
#include "backends/supervisord/supervisord.h"

namespace nixproc::supervisord {

// The createSupervisordProgram arguments: the shared run-script fields plus
// `program`, extra [program:x] keys (startsecs, stopsignal, ...) that
// overrides.supervisord.program can set.
json translate(const model::ManagedProcess& process, const Context& context) {
  json config = translate_supervised(process, context);
  config["program"] = json::object();
  return config;
}

}  // namespace nixproc::supervisord
