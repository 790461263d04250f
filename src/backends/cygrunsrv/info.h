#pragma once
// What a cygrunsrv instance's render hands to its deploy and to the render of
// its dependants (backends/common/info.h).
#include <optional>
#include <string>

#include "backends/common/info.h"

namespace nixproc::cygrunsrv {

struct Info {
  std::string name;
  std::optional<std::string> service;  // the Windows service; old profiles: from the name
  std::string params;                  // profile path of the parameter file
};

template <class Self, class Visit>
void fields(Self& info, Visit&& visit) {
  visit("name", info.name);
  visit("service", info.service);
  visit("params", info.params);
}

}  // namespace nixproc::cygrunsrv
