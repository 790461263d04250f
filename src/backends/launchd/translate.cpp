#include "backends/common/supervised.h"
#include "backends/launchd/launchd.h"

namespace nixproc::launchd {

// The shared fields of the supervising backends (foreground mode preferred,
// a daemon-only process behind the foreground proxy) plus `plist`: further
// property list keys (KeepAlive, RunAtLoad, Label, ...) that
// overrides.launchd.plist can set.
json translate(const model::ManagedProcess& process, const Context& context) {
  json config = translate_supervised(process, context);
  config["plist"] = json::object();
  return config;
}

}  // namespace nixproc::launchd
