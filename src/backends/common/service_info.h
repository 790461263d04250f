#pragma once
// What the render of a service-directory backend (s6, runit) hands to its
// deploy (backends/common/info.h): where the service directory, the scanner
// (s6-svscan, runsvdir) and the logs are, and the instance's keeper record.
#include <optional>
#include <string>

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
};

// The keys of a ServiceInfo; a backend's own `fields` calls it first.
template <class Self, class Visit>
void service_fields(Self& info, Visit&& visit) {
  visit("service", info.service);
  visit("run", info.run);
  visit("logRun", info.log_run);
  visit("serviceDir", info.service_dir);
  visit("scanDir", info.scan_dir);
  visit("pidFile", info.pid_file);
  visit("lockFile", info.lock_file);
  visit("logFile", info.log_file);
  visit("logDir", info.log_dir);
  visit("user", info.user);
  visit("record", info.record);
}

}  // namespace nixproc
