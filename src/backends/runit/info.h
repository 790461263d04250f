#pragma once
// What a runit instance's render hands to its deploy (backends/common/info.h):
// the shared service-directory fields, nothing of its own.
#include "backends/common/service_info.h"

namespace nixproc::runit {

struct Info : ServiceInfo {};

constexpr auto info_fields(const Info*) {
  return service_info_fields();
}

}  // namespace nixproc::runit
