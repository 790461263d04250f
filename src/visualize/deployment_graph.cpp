#include "visualize/deployment_graph.h"

#include <algorithm>
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

DotGraph deployment_graph(const model::DisnixModels& models) {
  const auto& distribution = models.distribution.value();
  auto node_id = [](const std::string& target, const std::string& service) {
    return target + ":" + service;
  };
  DotGraph graph;
  for (const auto& [target, hostname] : models.target_hostnames) {
    std::map<std::string, DotCluster> by_type;
    for (const auto& service : models.services) {
      auto targets = distribution.find(service.key);
      if (targets == distribution.end()) continue;
      if (std::find(targets->second.begin(), targets->second.end(), target) ==
          targets->second.end())
        continue;
      std::string type = service.type.empty() ? "(no type)" : service.type;
      DotCluster& cluster = by_type[type];
      cluster.label = type;
      cluster.fill_color = "lightgrey";
      cluster.nodes.push_back({node_id(target, service.key), service.key});
      auto connect = [&](const std::vector<std::string>& dependencies, bool dashed) {
        for (const auto& dependency : dependencies) {
          auto placed = distribution.find(dependency);
          if (placed == distribution.end()) continue;
          for (const auto& other : placed->second)
            graph.edges.push_back(
                {node_id(target, service.key), node_id(other, dependency), dashed});
        }
      };
      connect(service.depends_on, false);
      connect(service.activates_after, true);
    }
    DotCluster machine{hostname == target ? target : target + "\n" + hostname, "grey", {}, {}};
    for (auto& [type, cluster] : by_type) machine.clusters.push_back(std::move(cluster));
    graph.clusters.push_back(std::move(machine));
  }
  return graph;
}

}  // namespace nixproc::visualize
