#pragma once
// What an s6-rc instance's render hands to its deploy, to the render of its
// dependants and to the default bundle (backends/common/info.h).
#include <optional>
#include <string>

#include "backends/common/info.h"

namespace nixproc::s6rc {

struct Info {
  // What `s6-rc change` takes: the pipeline, the oneshot or the bundle; old
  // profiles: the instance's name.
  std::optional<std::string> service;
  std::string service_type = "longrun";   // longrun, oneshot or bundle
  std::string dependency_name;            // what dependants list in `dependencies`
  std::optional<std::string> supervised;  // the service dir s6-svscan runs; none for a bundle
  std::string live_dir;                   // s6-rc's live directory
  std::optional<std::string> user;        // whom the process runs as
};

constexpr auto info_fields(const Info*) {
  return std::tuple{InfoField{"service", &Info::service},
                    InfoField{"serviceType", &Info::service_type},
                    InfoField{"dependencyName", &Info::dependency_name},
                    InfoField{"supervised", &Info::supervised},
                    InfoField{"liveDir", &Info::live_dir},
                    InfoField{"user", &Info::user}};
}

}  // namespace nixproc::s6rc
