#pragma once
// Who needs unique IDs, read from a processes model or from Disnix models.
#include <string>
#include <vector>

#include "idassign/assign.h"
#include "model/disnix_models.h"
#include "model/model.h"

namespace nixproc::idassign {

inline constexpr const char* kDefaultServiceProperty = "requiresUniqueIdsFor";
// The one machine a processes model deploys to.
inline constexpr const char* kLocalMachine = "localhost";

// Every instance, on the local machine, with the pools its `property` lists.
std::vector<IdConsumer> consumers_of_model(const model::Model& model, const std::string& property);

// Every service with the pools its property lists, on the targets the
// distribution gives it (services it leaves out get no IDs). Without a
// distribution every service is counted, and machine-scoped pools are an error.
std::vector<IdConsumer> consumers_of_disnix(const model::DisnixModels& models,
                                            const std::vector<IdPool>& pools);

}  // namespace nixproc::idassign
