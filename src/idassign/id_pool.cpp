#include "idassign/id_pool.h"

#include <limits>

#include "model/fields.h"
#include "util/error.h"

namespace nixproc::idassign {

const char* scope_name(Scope scope) {
  return scope == Scope::Global ? "global" : "machine";
}

std::string IdPool::describe() const {
  std::string text = std::to_string(min) + "-" + std::to_string(max);
  if (step != 1) text += ", step " + std::to_string(step);
  return text;
}

static Id read_integer(const json& pool, const std::string& context, const char* field) {
  const json& value = pool.at(field);
  if (!value.is_number_integer())
    throw Error(context + ": field " + field + ": expected an integer, got " +
                model::json_for_message(value));
  return value.get<Id>();
}

static IdPool parse_pool(const std::string& name, const json& value, const std::string& origin) {
  std::string context = origin + ": ID pool " + name;
  if (!value.is_object())
    throw Error(context + ": expected an attribute set { min; max; step?; scope?; }, got " +
                model::json_for_message(value));
  for (const auto& [field, ignored] : value.items())
    if (field != "min" && field != "max" && field != "step" && field != "scope")
      throw Error(context + ": unknown field " + field + " (known: min, max, step, scope)");
  for (const char* field : {"min", "max"})
    if (!value.contains(field)) throw Error(context + ": missing field " + field);

  IdPool pool;
  pool.name = name;
  pool.min = read_integer(value, context, "min");
  pool.max = read_integer(value, context, "max");
  if (pool.min < 0) throw Error(context + ": min must not be negative");
  if (pool.max < pool.min)
    throw Error(context + ": max (" + std::to_string(pool.max) + ") is below min (" +
                std::to_string(pool.min) + ")");
  // Keeps id arithmetic (last + step, max - min) far from overflow.
  if (pool.max > std::numeric_limits<Id>::max() / 4) throw Error(context + ": max is too large");
  if (value.contains("step")) {
    pool.step = read_integer(value, context, "step");
    if (pool.step < 1) throw Error(context + ": step must be at least 1");
  }
  if (value.contains("scope")) {
    const json& scope = value["scope"];
    if (scope == "global")
      pool.scope = Scope::Global;
    else if (scope == "machine")
      pool.scope = Scope::Machine;
    else
      throw Error(context + ": field scope: expected \"global\" or \"machine\", got " +
                  model::json_for_message(scope));
  }
  return pool;
}

std::vector<IdPool> parse_id_pools(const json& document, const std::string& origin) {
  if (!document.is_object())
    throw Error(origin + ": expected an attribute set of ID pools, got " +
                model::json_for_message(document));
  std::vector<IdPool> pools;
  for (const auto& [name, value] : document.items())  // json objects iterate sorted
    pools.push_back(parse_pool(name, value, origin));
  return pools;
}

}  // namespace nixproc::idassign
