#include "backends/common/original_override.h"
#include "backends/common/supervised.h"
#include "backends/cygrunsrv/cygrunsrv.h"

namespace nixproc::cygrunsrv {

// The shared run-script fields (a foreground process preferred; a daemon-only
// one gets its PID file for the foreground proxy), as createCygrunsrvParams
// receives them; render decides whether the process runs directly or through
// a run script (reference section 3.6).
json translate(const model::ManagedProcess& process, const Context& context) {
  return translate_supervised(process, context);
}

// The original's createCygrunsrvParams names: `path` is the executable
// (nixproc's process; a list `path` is nixproc's own), `environmentPath` the
// directories for PATH (nixproc's path) and `type` the start type (nixproc's
// serviceType; merging it as `type` would replace the config's type).
json adapt_override(const json& override_value, const std::string& where) {
  json result = override_value;
  if (result.is_object() && result.contains("path") && result["path"].is_string())
    result = rename_keys(result, where, {{"path", "process"}});
  return rename_keys(result, where, {{"environmentPath", "path"}, {"type", "serviceType"}});
}

}  // namespace nixproc::cygrunsrv
