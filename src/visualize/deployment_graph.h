#pragma once
// A processes model's deployment as disnix-visualize draws one.
#include <string>

#include "model/disnix_models.h"
#include "model/model.h"
#include "visualize/dot_graph.h"

namespace nixproc::visualize {

// The machine a processes model deploys to.
inline constexpr const char* kMachine = "localhost";

// One cluster for the machine, in it one cluster per process manager (in
// label order) holding its instances (node id: the instance key; label: the
// key, plus the process name on a second line when it differs), and an edge
// from every instance to each instance it depends on. `process_manager` is
// the one chosen for managed-process instances, or "none".
DotGraph deployment_graph(const model::Model& model, const std::string& process_manager);

// Disnix models the same way: a cluster per target machine (label: its name,
// and its host name when that differs), in it a cluster per service type,
// a node per service on that target (id "<target>:<service>"), and from each
// an edge to every placement of what it depends on: solid for dependsOn,
// dashed for activatesAfter. Services the distribution leaves out are not
// drawn. Requires a distribution.
DotGraph deployment_graph(const model::DisnixModels& models);

}  // namespace nixproc::visualize
