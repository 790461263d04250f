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

template <class Self, class Visit>
void fields(Self& info, Visit&& visit) {
  visit("name", info.name);
  visit("script", info.script);
  visit("rcvar", info.rcvar);
  visit("pidFile", info.pid_file);
  visit("program", info.program);
  visit("user", info.user);
}

}  // namespace nixproc::bsdrc
