#include "backends/common/supervised.h"
#include "backends/runit/runit.h"

namespace nixproc::runit {

// The createRunitService arguments: the shared run-script fields. runit
// services have no further settings nixproc writes; overrides.runit can
// change the shared ones (process, args, environment, ...).
json translate(const model::ManagedProcess& process, const Context& context) {
  return translate_supervised(process, context);
}

}  // namespace nixproc::runit
