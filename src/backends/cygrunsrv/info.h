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

constexpr auto info_fields(const Info*) {
  return std::tuple{InfoField{"name", &Info::name}, InfoField{"service", &Info::service},
                    InfoField{"params", &Info::params}};
}

}  // namespace nixproc::cygrunsrv
