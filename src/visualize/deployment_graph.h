#pragma once
// A processes model's deployment as disnix-visualize draws one.
#include <string>

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

}  // namespace nixproc::visualize
