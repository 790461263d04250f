#pragma once
// The ID assignments (ids.nix): which instance holds which ID of each pool,
// and the last ID handed out per pool so an ID is not reused right away.
#include <map>
#include <string>

#include "idassign/id_pool.h"

namespace nixproc::idassign {

struct IdsConfig {
  std::map<std::string, std::map<std::string, Id>> ids;  // pool -> instance -> ID
  std::map<std::string, Id> last_assignments;            // pool -> last ID (global pools)
  // target machine -> pool -> last ID (machine-scoped pools)
  std::map<std::string, std::map<std::string, Id>> last_assignments_per_target;

  bool operator==(const IdsConfig&) const = default;
};

// Reads `{ ids = {...}; lastAssignments = {...}; lastAssignmentsPerTarget = {...}; }`
// (every part optional); throws nixproc::Error naming `origin` and the place.
IdsConfig parse_ids_config(const json& document, const std::string& origin);

// The shape the original's ids.nix has: `ids` lists every pool (empty ones
// too), the last-assignment tables only when they have entries.
json ids_config_json(const IdsConfig& config);
std::string ids_config_nix(const IdsConfig& config);

}  // namespace nixproc::idassign
