#include "idassign/consumers.h"

#include "model/fields.h"
#include "util/error.h"

namespace nixproc::idassign {

static std::vector<std::string> pool_names(const json& value, const std::string& context) {
  std::vector<std::string> names;
  if (value.is_null()) return names;
  if (!value.is_array()) throw Error(context + ": expected a list of ID pool names");
  for (const json& name : value) {
    if (!name.is_string())
      throw Error(context + ": expected pool names, got " + model::json_for_message(name));
    names.push_back(name.get<std::string>());
  }
  return names;
}

std::vector<IdConsumer> consumers_of_model(const model::Model& model, const std::string& property) {
  std::vector<IdConsumer> consumers;
  for (const model::Instance& instance : model.instances) {
    auto value = instance.meta.find(property);
    IdConsumer consumer{instance.key, {}, {kLocalMachine}};
    if (value != instance.meta.end())
      consumer.pools = pool_names(*value, instance_label(instance.key) + ": " + property);
    consumers.push_back(std::move(consumer));
  }
  return consumers;
}

std::vector<IdConsumer> consumers_of_disnix(const model::DisnixModels& models,
                                            const std::vector<IdPool>& pools) {
  std::vector<IdConsumer> consumers;
  for (const model::DisnixService& service : models.services) {
    IdConsumer consumer{service.key, pool_names(service.property, "service " + service.key), {}};
    if (models.distribution) {
      auto targets = models.distribution->find(service.key);
      if (targets != models.distribution->end()) consumer.targets = targets->second;
    } else {
      for (const IdPool& pool : pools)
        for (const std::string& name : consumer.pools)
          if (name == pool.name && pool.scope == Scope::Machine)
            throw Error("ID pool " + pool.name + " has machine scope and " + service.key +
                        " requires it: give the infrastructure and distribution models (-i, -d) "
                        "so nixproc knows which machine each service is on");
      consumer.targets = {"network"};  // only global pools: the scope is the whole network
    }
    consumers.push_back(std::move(consumer));
  }
  return consumers;
}

}  // namespace nixproc::idassign
