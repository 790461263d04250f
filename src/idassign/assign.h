#pragma once
// Assigning unique IDs: keep what is still valid, give the rest the next free
// ID after the pool's last assignment.
#include <string>
#include <vector>

#include "idassign/id_pool.h"
#include "idassign/ids_config.h"

namespace nixproc::idassign {

// An instance (processes model) or service (Disnix) that may need IDs.
struct IdConsumer {
  std::string key;
  std::vector<std::string> pools;    // the pools it requires unique IDs from
  std::vector<std::string> targets;  // machines it is deployed to; none: it gets no IDs
};

struct AssignResult {
  IdsConfig config;
  std::vector<std::string> warnings;  // assignments that had to be replaced, and why
};

// Rules, per pool (in name order) and consumer (in key order):
// - an assignment from `previous` is kept while its consumer still exists,
//   still requires the pool, is deployed somewhere, and the ID is in the pool
//   (range and step) and not already kept for another consumer in its scope;
//   everything else from `previous` is dropped;
// - a consumer without an ID gets the first free ID after the pool's last
//   assignment (per target machine for machine scope), wrapping to min after
//   max, so a released ID is not reused before the pool has gone round once;
// - machine scope: an ID is unique among the consumers sharing a target.
// Throws nixproc::Error when a consumer requires an undefined pool or a pool
// has no free ID left; `previous` is never changed.
AssignResult assign_ids(const std::vector<IdPool>& pools, const std::vector<IdConsumer>& consumers,
                        const IdsConfig& previous);

}  // namespace nixproc::idassign
