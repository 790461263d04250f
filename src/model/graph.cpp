#include "model/graph.h"

#include <algorithm>
#include <functional>
#include <queue>

namespace nixproc::model {

// Depth-first search without recursion (a chain of a million instances
// must not overflow the stack): `stack` holds the grey path, each node with
// the index of the next dependency to look at.
static std::vector<size_t> find_cycle(const std::vector<std::vector<size_t>>& dependencies,
                                      const std::vector<bool>& ordered) {
  enum Colour { White, Grey, Black };
  std::vector<Colour> colour(dependencies.size(), White);
  std::vector<std::pair<size_t, size_t>> stack;  // node, next dependency index
  for (size_t start = 0; start < dependencies.size(); ++start) {
    if (ordered[start] || colour[start] != White) continue;
    colour[start] = Grey;
    stack.push_back({start, 0});
    while (!stack.empty()) {
      auto& [node, next_index] = stack.back();
      if (next_index == dependencies[node].size()) {
        colour[node] = Black;
        stack.pop_back();
        continue;
      }
      size_t next = dependencies[node][next_index++];
      if (ordered[next] || colour[next] == Black) continue;
      if (colour[next] == Grey) {
        std::vector<size_t> cycle;
        auto it = std::find_if(stack.begin(), stack.end(),
                               [&](const auto& entry) { return entry.first == next; });
        for (; it != stack.end(); ++it) cycle.push_back(it->first);
        cycle.push_back(next);
        return cycle;
      }
      colour[next] = Grey;
      stack.push_back({next, 0});
    }
  }
  return {};
}

TopologicalResult topological_order(const std::vector<std::vector<size_t>>& dependencies) {
  size_t count = dependencies.size();
  std::vector<size_t> waiting(count, 0);
  std::vector<std::vector<size_t>> dependents(count);
  for (size_t node = 0; node < count; ++node) {
    for (size_t dependency : dependencies[node]) {
      ++waiting[node];
      dependents[dependency].push_back(node);
    }
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t node = 0; node < count; ++node)
    if (waiting[node] == 0) ready.push(node);
  TopologicalResult result;
  std::vector<bool> ordered(count, false);
  while (!ready.empty()) {
    size_t node = ready.top();
    ready.pop();
    ordered[node] = true;
    result.order.push_back(node);
    for (size_t dependent : dependents[node])
      if (--waiting[dependent] == 0) ready.push(dependent);
  }
  if (result.order.size() != count) result.cycle = find_cycle(dependencies, ordered);
  return result;
}

std::vector<size_t> dependency_depths(const std::vector<std::vector<size_t>>& dependencies) {
  std::vector<size_t> depth(dependencies.size(), 0);
  for (size_t node : topological_order(dependencies).order)
    for (size_t dependency : dependencies[node])
      depth[node] = std::max(depth[node], depth[dependency] + 1);
  return depth;
}

}  // namespace nixproc::model
