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

}  // namespace nixproc::cygrunsrv
