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

template <class Self, class Visit>
void fields(Self& info, Visit&& visit) {
  visit("label", info.label);
  visit("plist", info.plist);
  visit("name", info.name);
}

}  // namespace nixproc::launchd
