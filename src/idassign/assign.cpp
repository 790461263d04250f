#include "idassign/assign.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "util/error.h"

namespace nixproc::idassign {

namespace {

bool requires_pool(const IdConsumer& consumer, const std::string& pool) {
  return std::find(consumer.pools.begin(), consumer.pools.end(), pool) != consumer.pools.end();
}

// The IDs in use, per scope: one set for a global pool, one per target for a
// machine pool (the key "" stands for "everywhere").
class TakenIds {
 public:
  explicit TakenIds(Scope scope) : scope_(scope) {}

  std::vector<std::string> scopes_of(const IdConsumer& consumer) const {
    if (scope_ == Scope::Global) return {""};
    return consumer.targets;
  }
  // Who holds `id` in any of the consumer's scopes, or null.
  const std::string* holder(const IdConsumer& consumer, Id id) const {
    for (const std::string& scope : scopes_of(consumer)) {
      auto table = taken_.find(scope);
      if (table == taken_.end()) continue;
      if (auto found = table->second.find(id); found != table->second.end()) return &found->second;
    }
    return nullptr;
  }
  void take(const IdConsumer& consumer, Id id) {
    for (const std::string& scope : scopes_of(consumer)) taken_[scope][id] = consumer.key;
  }
  size_t count(const std::string& scope) const {
    auto table = taken_.find(scope);
    return table == taken_.end() ? 0 : table->second.size();
  }

 private:
  Scope scope_;
  std::map<std::string, std::map<Id, std::string>> taken_;
};

// The first ID of the pool after `last` (wrapping), or min without one.
Id start_after(const IdPool& pool, std::optional<Id> last) {
  if (!last || *last < pool.min || *last >= pool.max) return pool.min;
  Id next = pool.min + ((*last - pool.min) / pool.step + 1) * pool.step;
  return next > pool.max ? pool.min : next;
}

std::optional<Id> last_in_pool(const IdPool& pool, const std::map<std::string, Id>& table) {
  auto found = table.find(pool.name);
  if (found == table.end() || found->second < pool.min || found->second > pool.max)
    return std::nullopt;
  return found->second;
}

class PoolAssigner {
 public:
  PoolAssigner(const IdPool& pool, const IdsConfig& previous, AssignResult& result)
      : pool_(pool), previous_(previous), result_(result), taken_(pool.scope) {}

  void keep_valid(const std::vector<const IdConsumer*>& consumers) {
    auto old = previous_.ids.find(pool_.name);
    if (old == previous_.ids.end()) return;
    for (const IdConsumer* consumer : consumers) {
      auto id = old->second.find(consumer->key);
      if (id == old->second.end()) continue;
      if (!pool_.holds(id->second)) {
        warn(consumer->key + " had " + std::to_string(id->second) +
             ", which is outside the pool (" + pool_.describe() + ")");
      } else if (const std::string* holder = taken_.holder(*consumer, id->second)) {
        warn(consumer->key + " had " + std::to_string(id->second) + ", which " + *holder +
             " also has");
      } else {
        taken_.take(*consumer, id->second);
        assigned()[consumer->key] = id->second;
      }
    }
  }

  void assign_missing(const std::vector<const IdConsumer*>& consumers) {
    for (const IdConsumer* consumer : consumers) {
      if (assigned().count(consumer->key)) continue;
      Id id = next_free(*consumer);
      taken_.take(*consumer, id);
      assigned()[consumer->key] = id;
      for (const std::string& scope : taken_.scopes_of(*consumer)) last(scope) = id;
    }
  }

  // Carries the previous last assignments of the scopes still in use.
  void inherit_last_assignments(const std::vector<const IdConsumer*>& consumers) {
    if (pool_.scope == Scope::Global) {
      if (auto old = last_in_pool(pool_, previous_.last_assignments))
        result_.config.last_assignments[pool_.name] = *old;
      return;
    }
    for (const IdConsumer* consumer : consumers)
      for (const std::string& target : consumer->targets) {
        auto table = previous_.last_assignments_per_target.find(target);
        if (table == previous_.last_assignments_per_target.end()) continue;
        if (auto old = last_in_pool(pool_, table->second))
          result_.config.last_assignments_per_target[target][pool_.name] = *old;
      }
  }

 private:
  std::map<std::string, Id>& assigned() { return result_.config.ids[pool_.name]; }

  Id& last(const std::string& scope) {
    return scope.empty() ? result_.config.last_assignments[pool_.name]
                         : result_.config.last_assignments_per_target[scope][pool_.name];
  }
  std::optional<Id> current_last(const std::string& scope) const {
    const std::map<std::string, Id>* table = &result_.config.last_assignments;
    if (!scope.empty()) {
      auto per_target = result_.config.last_assignments_per_target.find(scope);
      if (per_target == result_.config.last_assignments_per_target.end()) return std::nullopt;
      table = &per_target->second;
    }
    auto found = table->find(pool_.name);
    if (found == table->end()) return std::nullopt;
    return found->second;
  }

  Id next_free(const IdConsumer& consumer) {
    std::vector<std::string> scopes = taken_.scopes_of(consumer);
    Id id = start_after(pool_, current_last(scopes.front()));
    for (Id tried = 0; tried < pool_.size(); ++tried) {
      if (!taken_.holder(consumer, id)) return id;
      id = id + pool_.step > pool_.max ? pool_.min : id + pool_.step;
    }
    std::string where = pool_.scope == Scope::Global ? "" : " on " + scopes.front();
    throw Error("ID pool " + pool_.name + " (" + pool_.describe() + ", " +
                std::to_string(pool_.size()) + " IDs) is exhausted" + where + ": " + consumer.key +
                " needs one and " + std::to_string(taken_.count(scopes.front())) +
                " are taken; widen the pool in the ID resources");
  }

  void warn(const std::string& what) {
    result_.warnings.push_back("ID pool " + pool_.name + ": " + what + "; it gets a new ID");
  }

  const IdPool& pool_;
  const IdsConfig& previous_;
  AssignResult& result_;
  TakenIds taken_;
};

}  // namespace

AssignResult assign_ids(const std::vector<IdPool>& pools, const std::vector<IdConsumer>& consumers,
                        const IdsConfig& previous) {
  std::set<std::string> defined;
  for (const IdPool& pool : pools) defined.insert(pool.name);
  std::vector<const IdConsumer*> ordered;
  for (const IdConsumer& consumer : consumers) {
    for (const std::string& pool : consumer.pools)
      if (!defined.count(pool))
        throw Error(consumer.key + " requires unique IDs from pool " + pool +
                    ", which the ID resources do not define");
    ordered.push_back(&consumer);
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const IdConsumer* a, const IdConsumer* b) { return a->key < b->key; });

  AssignResult result;
  for (const IdPool& pool : pools) {
    std::vector<const IdConsumer*> users;
    for (const IdConsumer* consumer : ordered)
      if (requires_pool(*consumer, pool.name) && !consumer->targets.empty())
        users.push_back(consumer);
    result.config.ids[pool.name];  // every pool appears, empty or not
    PoolAssigner assigner(pool, previous, result);
    assigner.inherit_last_assignments(users);
    assigner.keep_valid(users);
    assigner.assign_missing(users);
  }
  return result;
}

}  // namespace nixproc::idassign
