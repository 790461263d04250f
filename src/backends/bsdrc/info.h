#pragma once
// What a bsdrc instance's render hands to its deploy and to the render of its
// dependants (backends/common/info.h).
#include <optional>
#include <string>

#include "backends/common/info.h"

namespace nixproc::bsdrc {

struct Info {
  std::string name;                              // the rc.d script's name, what dependants REQUIRE
  std::string script;                            // its profile path
  std::string rcvar;                             // the rc.conf variable that enables it at boot
  std::optional<std::string> pid_file, program;  // a process known by PID file
  std::optional<std::string> user;               // whom the process runs as
};

constexpr auto info_fields(const Info*) {
  return std::tuple{InfoField{"name", &Info::name},       InfoField{"script", &Info::script},
                    InfoField{"rcvar", &Info::rcvar},     InfoField{"pidFile", &Info::pid_file},
                    InfoField{"program", &Info::program}, InfoField{"user", &Info::user}};
}

}  // namespace nixproc::bsdrc
