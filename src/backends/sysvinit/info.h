#pragma once
// What a sysvinit instance's render hands to its deploy and to the render of
// its dependants (backends/common/info.h).
#include <optional>
#include <string>
#include <vector>

#include "backends/common/info.h"

namespace nixproc::sysvinit {

struct Info {
  std::string name;     // the init script's name
  size_t sequence = 0;  // its rc<N>.d sequence number
  std::string script;   // profile path of the init script
  std::vector<int> start_levels;
  std::optional<std::string> pid_file, program;  // a process known by PID file
  std::optional<std::string> record, log;        // a process under a keeper
  std::optional<std::string> user;               // whom the process runs as
};

constexpr auto info_fields(const Info*) {
  return std::tuple{
      InfoField{"name", &Info::name},        InfoField{"sequence", &Info::sequence},
      InfoField{"script", &Info::script},    InfoField{"startLevels", &Info::start_levels},
      InfoField{"pidFile", &Info::pid_file}, InfoField{"program", &Info::program},
      InfoField{"record", &Info::record},    InfoField{"log", &Info::log},
      InfoField{"user", &Info::user}};
}

}  // namespace nixproc::sysvinit
