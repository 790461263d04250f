#include "model/model.h"

#include <algorithm>

#include "model/fields.h"
#include "model/graph.h"
#include "model/managed_process.h"
#include "util/error.h"
#include "util/json_input.h"
#include "util/names.h"
#include "util/quote.h"

namespace nixproc::model {

const Instance* Model::find(const std::string& key) const {
  auto it = by_key.find(key);
  return it == by_key.end() ? nullptr : &instances[it->second];
}

static std::string type_list(const std::vector<std::string>& types) {
  std::string list = kManagedProcess;
  for (const auto& type : types)
    if (type != kManagedProcess) list += ", " + type;
  return list;
}

// A NUL byte cuts a string wherever it goes (argv, environment, file names),
// so a model holding one anywhere, metadata included, is refused.
static void reject_nul_bytes(const json& value, const std::string& context) {
  auto where = find_nul_byte(value);
  if (!where) return;
  // Fields are named as FieldReader names them: pkg's without "pkg.".
  std::string field = where->rfind("pkg.", 0) == 0 ? where->substr(4) : *where;
  throw Error(context + ": field " + field +
              ": holds a NUL byte, which no argument, environment variable or file can carry");
}

static Instance parse_instance(const std::string& key, const json& value,
                               const std::vector<std::string>& config_types) {
  std::string context = instance_label(key);
  if (auto reason = invalid_name_reason(key); !reason.empty())
    throw Error("invalid instance name " + quote(key) + ": " + reason);
  reject_nul_bytes(value, context);
  if (!value.is_object() || value.contains("__nixprocFunction"))
    throw Error(context + ": expected an attribute set with a pkg attribute, got " +
                json_type_name(value));
  auto pkg = value.find("pkg");
  if (pkg == value.end() || pkg->is_null())
    throw Error(context +
                ": missing field pkg (the process config, e.g. from createManagedProcess)");
  if (!pkg->is_object() || pkg->contains("__nixprocFunction"))
    throw Error(context + ": field pkg: expected an attribute set, got " + json_type_name(*pkg));

  Instance instance;
  instance.key = key;
  instance.pkg = *pkg;
  instance.meta = json::object();
  for (const auto& [name, item] : value.items())
    if (name != "pkg") instance.meta[name] = item;

  FieldReader reader(*pkg, context);
  instance.type = reader.string_or("type", kManagedProcess);
  if (instance.type != kManagedProcess &&
      std::find(config_types.begin(), config_types.end(), instance.type) == config_types.end())
    reader.fail("type", "unknown config type " + quote(instance.type) + " (expected one of " +
                            type_list(config_types) + ")");
  auto name = reader.optional_string("name");
  if (!name) name = reader.optional_string("instanceName");
  if (!name)
    throw Error(context +
                ": no process name was specified or can be inferred (set name or "
                "instanceName)");
  if (auto reason = invalid_name_reason(*name); !reason.empty())
    reader.fail(reader.optional_string("name") ? "name" : "instanceName",
                "invalid process name " + quote(*name) + ": " + reason);
  // instanceName names the PID file (<runtimeDir>/<instanceName>.pid) even
  // when name is given, so it obeys the same rules.
  if (auto instance_name = reader.optional_string("instanceName"))
    if (auto reason = invalid_name_reason(*instance_name); !reason.empty())
      reader.fail("instanceName", "invalid instance name " + quote(*instance_name) + ": " + reason);
  instance.name = *name;
  return instance;
}

// An explicit instanceName is the instance's identity (and names its default
// PID file), and a PID file tells whether it runs: two instances sharing one
// would take each other for running and stop each other, whichever process
// manager deploys them.
static void reject_shared_identities(const Model& model) {
  for (const char* field : {"instanceName", "pidFile"}) {
    std::map<std::string, const Instance*> owners;
    for (const auto& instance : model.instances) {
      auto value = instance.pkg.find(field);
      if (value == instance.pkg.end() || !value->is_string()) continue;
      auto [it, inserted] = owners.emplace(value->get<std::string>(), &instance);
      if (!inserted)
        throw Error("instances " + it->second->key + " and " + instance.key + " both have the " +
                    field + " " + quote(it->first) + "; each instance needs its own");
    }
  }
}

static void resolve_dependencies(Model& model) {
  std::map<std::string, size_t> by_name;
  for (size_t i = 0; i < model.instances.size(); ++i) {
    auto [it, inserted] = by_name.emplace(model.instances[i].name, i);
    if (!inserted)
      throw Error("instances " + model.instances[it->second].key + " and " +
                  model.instances[i].key + " both have the process name " +
                  quote(model.instances[i].name) + "; process names must be unique");
  }
  reject_shared_identities(model);
  for (auto& instance : model.instances) {
    FieldReader reader(instance.pkg, instance_label(instance.key));
    auto names = reader.string_list("dependencies");
    for (size_t i = 0; i < names.size(); ++i) {
      const std::string& wanted = names[i];
      size_t index;
      if (auto it = by_name.find(wanted); it != by_name.end())
        index = it->second;
      else if (auto key = model.by_key.find(wanted); key != model.by_key.end())
        index = key->second;
      else
        reader.fail("dependencies[" + std::to_string(i) + "]",
                    "no instance is named " + quote(wanted));
      const std::string& key = model.instances[index].key;
      if (key == instance.key)
        reader.fail("dependencies[" + std::to_string(i) + "]",
                    "an instance cannot depend on itself");
      if (std::find(instance.dependencies.begin(), instance.dependencies.end(), key) ==
          instance.dependencies.end())
        instance.dependencies.push_back(key);
    }
  }
}

static std::vector<std::vector<size_t>> dependency_indices(const Model& model) {
  std::vector<std::vector<size_t>> edges(model.instances.size());
  for (size_t i = 0; i < model.instances.size(); ++i)
    for (const auto& key : model.instances[i].dependencies)
      edges[i].push_back(model.by_key.at(key));
  return edges;
}

std::vector<size_t> start_order(const Model& model) {
  return topological_order(dependency_indices(model)).order;
}

// a -> b -> a; a long cycle shows its first few steps and how many more.
static std::string describe_cycle(const Model& model, const std::vector<size_t>& cycle) {
  constexpr size_t kShown = 8;
  std::string path;
  size_t shown = cycle.size() <= kShown + 1 ? cycle.size() : kShown;
  for (size_t i = 0; i < shown; ++i)
    path += (path.empty() ? "" : " -> ") + model.instances[cycle[i]].key;
  if (shown < cycle.size())
    path += " -> ... (" + std::to_string(cycle.size() - 1 - shown) + " more) -> " +
            model.instances[cycle.back()].key;
  return path;
}

Model parse_model(const json& evaluated, const std::string& origin,
                  const std::vector<std::string>& config_types) {
  if (!evaluated.is_object() || evaluated.contains("__nixprocFunction"))
    throw Error(origin +
                ": a processes model must evaluate to an attribute set of instances, got " +
                json_type_name(evaluated));
  Model model;
  model.instances.reserve(evaluated.size());
  for (const auto& [key, value] : evaluated.items())
    model.instances.push_back(parse_instance(key, value, config_types));
  // nlohmann::json keeps object keys sorted, so instances are in key order.
  for (size_t i = 0; i < model.instances.size(); ++i) model.by_key[model.instances[i].key] = i;
  resolve_dependencies(model);

  auto result = topological_order(dependency_indices(model));
  if (!result.cycle.empty())
    throw Error(origin + ": dependency cycle: " + describe_cycle(model, result.cycle));
  for (auto& instance : model.instances)
    if (instance.type == kManagedProcess) instance.process = parse_managed_process(instance);
  return model;
}

}  // namespace nixproc::model
