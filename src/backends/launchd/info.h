#pragma once
// What a launchd instance's render hands to its deploy and to the render of
// its dependants (backends/common/info.h).
#include <optional>
#include <string>

#include "backends/common/info.h"

namespace nixproc::launchd {

struct Info {
  std::optional<std::string> label;  // the job's label; old profiles: from the name
  std::string plist;                 // profile path of the property list
  std::optional<std::string> name;
};

constexpr auto info_fields(const Info*) {
  return std::tuple{InfoField{"label", &Info::label}, InfoField{"plist", &Info::plist},
                    InfoField{"name", &Info::name}};
}

}  // namespace nixproc::launchd
