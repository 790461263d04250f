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

template <class Self, class Visit>
void fields(Self& info, Visit&& visit) {
  visit("container", info.container);
  visit("image", info.image);
  visit("priority", info.priority);
  visit("settings", info.settings);
  visit("createParams", info.create_params);
  visit("cmd", info.cmd);
  visit("imageLabel", info.image_label);
  visit("containerLabel", info.container_label);
}

}  // namespace nixproc::docker
