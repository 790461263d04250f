#pragma once
// The dependency graph: nodes are indices, edges point at dependencies.
#include <cstddef>
#include <string>
#include <vector>

namespace nixproc::model {

struct TopologicalResult {
  std::vector<size_t> order;  // dependencies first; ties in index order
  std::vector<size_t> cycle;  // non-empty when there is a cycle: a, b, ..., a
};

TopologicalResult topological_order(const std::vector<std::vector<size_t>>& dependencies);

// Length of the longest dependency chain below each node (0 = no dependencies).
// Requires an acyclic graph.
std::vector<size_t> dependency_depths(const std::vector<std::vector<size_t>>& dependencies);

}  // namespace nixproc::model
