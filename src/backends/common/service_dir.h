#pragma once
// Where a supervision suite (s6, runit) keeps its parts in a state directory,
// and the rendering both share: a run script and a log/run per service. The
// service directories live outside the read-only store because the
// supervisor writes into them; they hold links to the stored files.
//
//   <runtimeDir>/nixproc-<pm>/service/<name> -> <libDir>/nixproc-<pm>/sv/<name>
//   <libDir>/nixproc-<pm>/sv/<name>/run, log/run -> store
//   <runtimeDir>/nixproc-<scanner>.pid, <runtimeDir>/nixproc-<pm>/lock,
//   <logDir>/nixproc-<scanner>.log
// The "nixproc-" prefix keeps them apart from the files of instances, which
// are named after the instance (an instance may well be called runsvdir).
#include <string>

#include "backends/backend.h"
#include "backends/common/service_info.h"
#include "backends/common/supervised.h"
#include "core/state_dirs.h"

namespace nixproc {

struct ServiceLayout {
  std::string scan_dir;      // what the scanner watches: one link per service
  std::string service_root;  // the live service directories
  std::string pid_file;      // the scanner's
  std::string lock_file;     // serialises starting and stopping the scanner
  std::string log_file;      // the scanner's output
  std::string log_dir;       // the logger writes <log_dir>/<name>/current
};

ServiceLayout service_layout(const StateDirs& dirs, const std::string& pm,
                             const std::string& scanner);

// The run spec of a service: under a keeper, everything it prints on stdout
// (the log service's input).
RunSpec read_service_spec(const RenderInput& input, const std::string& pm);

struct RenderedService {
  RenderedInstance rendered;  // etc/<pm>/sv/<name>/run and log/run
  ServiceInfo info;
  std::string base;  // etc/<pm>/sv/<name>, for further files
};

// `log_run` makes the log service's run script for the service's log dir.
RenderedService render_service(const RenderInput& input, const RunSpec& spec, const std::string& pm,
                               const ServiceLayout& layout,
                               std::string (*log_run)(const std::string& log_dir));

}  // namespace nixproc
