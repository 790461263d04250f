#pragma once
// ID resources (idresources.nix): named pools of numeric IDs (ports, UIDs,
// GIDs, ...) that instances draw unique IDs from.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nixproc::idassign {

using json = nlohmann::json;
using Id = long long;

enum class Scope {
  Global,   // unique across every machine
  Machine,  // unique per target machine
};

struct IdPool {
  std::string name;
  Id min = 0, max = 0;
  Id step = 1;  // IDs handed out are min, min+step, ... (InfluxDB needs 3 ports per instance)
  Scope scope = Scope::Global;

  Id size() const { return (max - min) / step + 1; }  // how many IDs the pool holds
  bool holds(Id id) const { return id >= min && id <= max && (id - min) % step == 0; }
  std::string describe() const;  // "5000-6000" or "8086-8096, step 3"
};

// Reads `{ <pool> = { min; max; step?; scope?; }; }`, sorted by name; throws
// nixproc::Error naming `origin`, the pool and the field.
std::vector<IdPool> parse_id_pools(const json& document, const std::string& origin);

const char* scope_name(Scope scope);

}  // namespace nixproc::idassign
