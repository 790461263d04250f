#pragma once
// What a docker instance's render hands to its deploy and to the render of
// its dependants (backends/common/info.h).
#include <optional>
#include <string>

#include "backends/common/info.h"

namespace nixproc::docker {

struct Info {
  // Old profiles lack the names: they follow from the instance's name.
  std::optional<std::string> container, image;
  int priority = 0;  // start order: one more than the highest dependency
  // Profile paths of the instance's docker files.
  std::string settings, create_params, cmd;
  // What makes the image and the container what they are.
  std::string image_label, container_label;
};

constexpr auto info_fields(const Info*) {
  return std::tuple{InfoField{"container", &Info::container},
                    InfoField{"image", &Info::image},
                    InfoField{"priority", &Info::priority},
                    InfoField{"settings", &Info::settings},
                    InfoField{"createParams", &Info::create_params},
                    InfoField{"cmd", &Info::cmd},
                    InfoField{"imageLabel", &Info::image_label},
                    InfoField{"containerLabel", &Info::container_label}};
}

}  // namespace nixproc::docker
