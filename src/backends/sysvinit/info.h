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

template <class Self, class Visit>
void fields(Self& info, Visit&& visit) {
  visit("name", info.name);
  visit("sequence", info.sequence);
  visit("script", info.script);
  visit("startLevels", info.start_levels);
  visit("pidFile", info.pid_file);
  visit("program", info.program);
  visit("record", info.record);
  visit("log", info.log);
  visit("user", info.user);
}

}  // namespace nixproc::sysvinit
