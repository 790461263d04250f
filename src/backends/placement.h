#pragma once
// Which process manager deploys an instance, and as which Dysnomia type: what
// `visualize` groups instances by and what `disnix-export` writes as a
// service's type.
#include <string>

#include "model/model.h"

namespace nixproc {

struct Placement {
  std::string process_manager;  // a backend's name, or "none"
  std::string type;             // the Dysnomia type, e.g. sysvinit-script
};

// The type of the configs a process manager deploys, as the original maps it
// (none -> managed-process, sysvinit -> sysvinit-script, disnix -> process,
// ...). s6 and runit exist only in nixproc: their types (s6-service,
// runit-service) are nixproc's own, no Dysnomia module knows them.
std::string dysnomia_type(const std::string& process_manager);

// A managed-process goes to the chosen process manager ("none": stays
// agnostic); a config written for one process manager (pkg.type) goes to the
// backend whose native type it is, whatever was chosen.
Placement place_instance(const model::Instance& instance, const std::string& process_manager);

}  // namespace nixproc
