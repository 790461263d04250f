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

constexpr auto info_fields(const Info*) {
  return std::tuple{InfoField{"name", &Info::name},       InfoField{"wrapper", &Info::wrapper},
                    InfoField{"config", &Info::config},   InfoField{"pidFile", &Info::pid_file},
                    InfoField{"program", &Info::program}, InfoField{"record", &Info::record},
                    InfoField{"log", &Info::log},         InfoField{"user", &Info::user}};
}

}  // namespace nixproc::disnix
