#pragma once
// What a runit instance's render hands to its deploy (backends/common/info.h):
// the shared service-directory fields, nothing of its own.
#include "backends/common/service_info.h"

namespace nixproc::runit {

struct Info : ServiceInfo {};

template <class Self, class Visit>
void fields(Self& info, Visit&& visit) {
  service_fields(info, visit);
}

}  // namespace nixproc::runit
