#pragma once
// What a supervisord instance's render hands to its deploy and to the render
// of its dependants (backends/common/info.h).
#include <optional>
#include <string>

#include "backends/common/info.h"

namespace nixproc::supervisord {

struct Info {
  std::optional<std::string> program;  // the program's name; old profiles: the instance's
  std::string conf;                    // profile path of its program section
  int priority = 0;                    // start order: one more than its dependencies
  // Where the supervisord that runs it keeps its files.
  std::string conf_dir, socket, pid_file, log_file;
  std::optional<std::string> user;  // whom the process runs as
  std::string record;               // its keeper's record
  // The profile's runtime: the tools supervisord's keeper runs from.
  std::optional<std::string> runtime;
};

constexpr auto info_fields(const Info*) {
  return std::tuple{InfoField{"program", &Info::program},   InfoField{"conf", &Info::conf},
                    InfoField{"priority", &Info::priority}, InfoField{"confDir", &Info::conf_dir},
                    InfoField{"socket", &Info::socket},     InfoField{"pidFile", &Info::pid_file},
                    InfoField{"logFile", &Info::log_file},  InfoField{"user", &Info::user},
                    InfoField{"record", &Info::record},     InfoField{"runtime", &Info::runtime}};
}

}  // namespace nixproc::supervisord
