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
};

template <class Self, class Visit>
void fields(Self& info, Visit&& visit) {
  visit("program", info.program);
  visit("conf", info.conf);
  visit("priority", info.priority);
  visit("confDir", info.conf_dir);
  visit("socket", info.socket);
  visit("pidFile", info.pid_file);
  visit("logFile", info.log_file);
  visit("user", info.user);
  visit("record", info.record);
}

}  // namespace nixproc::supervisord
