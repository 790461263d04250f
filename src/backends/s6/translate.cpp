#include "backends/common/supervised.h"
#include "backends/s6/s6.h"

namespace nixproc::s6 {

// The shared run-script fields; overrides.s6 can change them (process, args,
// environment, ...).
json translate(const model::ManagedProcess& process, const Context& context) {
  return translate_supervised(process, context);
}

}  // namespace nixproc::s6
