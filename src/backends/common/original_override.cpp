#include "backends/common/original_override.h"

#include <set>

#include "util/error.h"

namespace nixproc {

const std::initializer_list<const char*> kSupervisedFields = {
    "type",        "name",       "instanceName", "dependencies",
    "credentials", "process",    "args",         "processIsDaemon",
    "pidFile",     "initialize", "environment",  "path",
    "directory",   "umask",      "nice",         "user"};

json rename_keys(const json& override_value, const std::string& where,
                 std::initializer_list<std::pair<const char*, const char*>> renames) {
  if (!override_value.is_object()) return override_value;
  json result = override_value;
  for (const auto& [original, ours] : renames) {
    auto it = result.find(original);
    if (it == result.end()) continue;
    if (result.contains(ours))
      throw Error(where + ": both " + original + " (the original framework's name) and " + ours +
                  " are given; give only " + ours);
    json value = *it;
    result.erase(original);
    result[ours] = std::move(value);
  }
  return result;
}

json nest_other_keys(const json& override_value, std::initializer_list<const char*> fields,
                     const char* into) {
  if (!override_value.is_object()) return override_value;
  std::set<std::string> own(fields.begin(), fields.end());
  own.insert(into);
  json result = json::object();
  json nested = json::object();
  for (const auto& [key, value] : override_value.items()) {
    if (own.count(key))
      result[key] = value;
    else
      nested[key] = value;
  }
  if (nested.empty()) return result;
  json& target = result[into];
  if (target.is_null()) target = json::object();
  if (target.is_object()) target.merge_patch(nested);
  return result;
}

}  // namespace nixproc
