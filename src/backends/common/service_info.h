#pragma once
// What the render of a service-directory backend (s6, runit) hands to its
// deploy (backends/common/info.h): where the service directory, the scanner
// (s6-svscan, runsvdir) and the logs are, and the instance's keeper record.
#include <optional>
#include <string>
#include <tuple>

#include "backends/common/info.h"

namespace nixproc {

struct ServiceInfo {
  std::optional<std::string> service;  // the service's name; older profiles: the instance's
  std::string run, log_run;            // profile paths of the run scripts
  std::string service_dir;             // the live service directory
  std::string scan_dir, pid_file, lock_file, log_file;  // the scanner's
  std::string log_dir;                                  // the service's log directory
  std::optional<std::string> user;                      // whom the process runs as
  std::string record;                                   // its keeper's; older profiles: none
  std::optional<std::string> runtime;  // the profile's runtime, the scanner's keeper's tools
};

// The keys of a ServiceInfo; a backend's own table starts with them.
constexpr auto service_info_fields() {
  return std::tuple{InfoField{"service", &ServiceInfo::service},
                    InfoField{"run", &ServiceInfo::run},
                    InfoField{"logRun", &ServiceInfo::log_run},
                    InfoField{"serviceDir", &ServiceInfo::service_dir},
                    InfoField{"scanDir", &ServiceInfo::scan_dir},
                    InfoField{"pidFile", &ServiceInfo::pid_file},
                    InfoField{"lockFile", &ServiceInfo::lock_file},
                    InfoField{"logFile", &ServiceInfo::log_file},
                    InfoField{"logDir", &ServiceInfo::log_dir},
                    InfoField{"user", &ServiceInfo::user},
                    InfoField{"record", &ServiceInfo::record},
                    InfoField{"runtime", &ServiceInfo::runtime}};
}

}  // namespace nixproc
