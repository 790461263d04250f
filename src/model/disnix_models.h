#pragma once
// Disnix's services, infrastructure and distribution models, as far as nixproc
// uses them: which service runs where, what it depends on, and one property
// (requiresUniqueIdsFor for ID assignment).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nixproc::model {

using json = nlohmann::json;

struct DisnixService {
  std::string key, name;
  std::string type;                                      // empty when the service has none
  json property;                                         // the requested property, null when absent
  std::vector<std::string> depends_on, activates_after;  // service keys
};

struct DisnixModels {
  std::vector<DisnixService> services;                  // sorted by key
  std::map<std::string, std::string> target_hostnames;  // target -> properties.hostname
  // service key -> target names; unset without a distribution model.
  std::optional<std::map<std::string, std::vector<std::string>>> distribution;
};

struct DisnixModelFiles {
  std::string services, infrastructure, distribution;  // the last two may be empty
};

// Evaluates the models with nix-instantiate (nothing is built; `pkg` is never
// looked at; an evaluation longer than `timeout_seconds` is stopped, 0: no
// limit) and checks that every reference resolves. Throws nixproc::Error.
DisnixModels load_disnix_models(const DisnixModelFiles& files, const std::string& property,
                                const std::string& nix_dir, int timeout_seconds);

// The same from the evaluated form (tests, and the parts after evaluation).
DisnixModels parse_disnix_models(const json& evaluated, const std::string& origin);

}  // namespace nixproc::model
