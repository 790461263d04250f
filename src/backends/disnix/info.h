#pragma once
// What a disnix instance's render hands to its deploy (backends/common/info.h).
#include <optional>
#include <string>

#include "backends/common/info.h"

namespace nixproc::disnix {

struct Info {
  std::string name;
  std::string wrapper;  // profile path of the process wrapper
  std::string config;   // profile path of the Dysnomia process config
  std::string pid_file, program;
  std::string record;  // empty in profiles of nixproc versions before records
  std::string log;
  std::optional<std::string> user;  // whom the process runs as
};

template <class Self, class Visit>
void fields(Self& info, Visit&& visit) {
  visit("name", info.name);
  visit("wrapper", info.wrapper);
  visit("config", info.config);
  visit("pidFile", info.pid_file);
  visit("program", info.program);
  visit("record", info.record);
  visit("log", info.log);
  visit("user", info.user);
}

}  // namespace nixproc::disnix
