#include "model/disnix_models.h"

#include <set>

#include "model/fields.h"
#include "model/load.h"
#include "util/error.h"
#include "util/fs.h"

namespace nixproc::model {

static std::vector<std::string> string_list(const json& value, const std::string& context) {
  std::vector<std::string> list;
  if (!value.is_array()) throw Error(context + ": expected a list, got " + json_for_message(value));
  for (const json& item : value) {
    if (!item.is_string())
      throw Error(context + ": expected strings, got " + json_for_message(item));
    list.push_back(item.get<std::string>());
  }
  return list;
}

// Dependencies name services by their `name`; nixproc works with keys.
static std::vector<std::string> to_keys(const std::vector<std::string>& names,
                                        const std::map<std::string, std::string>& key_of_name,
                                        const std::string& context) {
  std::vector<std::string> keys;
  for (const std::string& name : names) {
    auto found = key_of_name.find(name);
    if (found == key_of_name.end())
      throw Error(context + ": refers to " + name + ", which is not in the services model");
    keys.push_back(found->second);
  }
  return keys;
}

// A service's name, which dependencies refer to it by; its key without one.
static std::string name_of(const std::string& key, const json& service) {
  const json& name = service.at("name");
  return name.is_string() ? name.get<std::string>() : key;
}

DisnixModels parse_disnix_models(const json& evaluated, const std::string& origin) {
  DisnixModels models;
  const json& services = evaluated.at("services");
  if (!services.is_object()) throw Error(origin + ": expected an attribute set of services");
  std::map<std::string, std::string> key_of_name;
  for (const auto& [key, service] : services.items()) {
    std::string name = name_of(key, service);
    if (!key_of_name.emplace(name, key).second)
      throw Error(origin + ": services " + key_of_name[name] + " and " + key +
                  " have the same name " + name);
  }
  for (const auto& [key, service] : services.items()) {
    std::string context = origin + ": service " + key;
    DisnixService parsed;
    parsed.key = key;
    parsed.name = name_of(key, service);
    if (service.at("type").is_string()) parsed.type = service["type"].get<std::string>();
    parsed.property = service.at("property");
    parsed.depends_on = to_keys(string_list(service.at("dependsOn"), context + ": dependsOn"),
                                key_of_name, context + ": dependsOn");
    parsed.activates_after =
        to_keys(string_list(service.at("activatesAfter"), context + ": activatesAfter"),
                key_of_name, context + ": activatesAfter");
    models.services.push_back(std::move(parsed));
  }
  for (const auto& [target, properties] : evaluated.at("targets").items())
    models.target_hostnames[target] =
        properties.at("hostname").is_string() ? properties["hostname"].get<std::string>() : target;
  const json& distribution = evaluated.at("distribution");
  if (!distribution.is_null()) {
    models.distribution.emplace();
    for (const auto& [key, targets] : distribution.items()) {
      if (!services.contains(key))
        throw Error(origin + ": the distribution model maps " + key +
                    ", which is not in the services model");
      std::vector<std::string> names = string_list(targets, origin + ": distribution of " + key);
      std::set<std::string> unique(names.begin(), names.end());
      (*models.distribution)[key] = {unique.begin(), unique.end()};
    }
  }
  return models;
}

DisnixModels load_disnix_models(const DisnixModelFiles& files, const std::string& property,
                                const std::string& nix_dir, int timeout_seconds) {
  for (const std::string* path : {&files.services, &files.infrastructure, &files.distribution})
    if (!path->empty()) fs::check_input_file(*path, "model");
  if (!files.distribution.empty() && files.infrastructure.empty())
    throw Error("a distribution model needs the infrastructure model it refers to (-i)");
  auto absolute = [](const std::string& path) {
    return path.empty() ? path : fs::absolute_path(path);
  };
  json evaluated = evaluate_nix_file(nix_dir + "/eval-disnix-models.nix",
                                     {{"servicesFile", absolute(files.services)},
                                      {"infrastructureFile", absolute(files.infrastructure)},
                                      {"distributionFile", absolute(files.distribution)},
                                      {"property", property}},
                                     nix_dir, "the Disnix models", timeout_seconds);
  return parse_disnix_models(evaluated, files.services);
}

}  // namespace nixproc::model
