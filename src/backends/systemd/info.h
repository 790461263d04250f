#pragma once
// What a systemd instance's render hands to its deploy and to the render of
// its dependants (backends/common/info.h).
#include <optional>
#include <string>
#include <vector>

#include "backends/common/info.h"

namespace nixproc::systemd {

struct Info {
  std::optional<std::string> unit;  // the unit's name; old profiles: from the name
  std::string unit_file;            // its profile path
  std::vector<std::string> wants;   // the units of its dependencies
};

constexpr auto info_fields(const Info*) {
  return std::tuple{InfoField{"unit", &Info::unit}, InfoField{"unitFile", &Info::unit_file},
                    InfoField{"wants", &Info::wants}};
}

}  // namespace nixproc::systemd
