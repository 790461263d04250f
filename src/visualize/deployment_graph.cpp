#include "visualize/deployment_graph.h"

#include <map>

#include "backends/placement.h"

namespace nixproc::visualize {

static std::string cluster_label(const Placement& placement) {
  if (placement.process_manager == "none") return placement.type;
  return placement.process_manager + " (" + placement.type + ")";
}

DotGraph deployment_graph(const model::Model& model, const std::string& process_manager) {
  std::map<std::string, DotCluster> by_label;
  DotGraph graph;
  for (const auto& instance : model.instances) {
    std::string label = cluster_label(place_instance(instance, process_manager));
    DotCluster& cluster = by_label[label];
    cluster.label = label;
    cluster.fill_color = "lightgrey";
    std::string node_label = instance.key;
    if (instance.name != instance.key) node_label += "\n" + instance.name;
    cluster.nodes.push_back({instance.key, node_label});
    for (const auto& dependency : instance.dependencies)
      graph.edges.push_back({instance.key, dependency});
  }
  DotCluster machine{kMachine, "grey", {}, {}};
  for (auto& [label, cluster] : by_label) machine.clusters.push_back(std::move(cluster));
  graph.clusters.push_back(std::move(machine));
  return graph;
}

}  // namespace nixproc::visualize
