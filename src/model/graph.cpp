#include "model/graph.h"

#include <functional>
#include <queue>

namespace nixproc::model {

static std::vector<size_t> find_cycle(const std::vector<std::vector<size_t>>& dependencies,
                                      const std::vector<bool>& ordered) {
  enum Colour { White, Grey, Black };
  std::vector<Colour> colour(dependencies.size(), White);
  std::vector<size_t> stack;
  std::vector<size_t> cycle;
  std::function<bool(size_t)> visit = [&](size_t node) {
    colour[node] = Grey;
    stack.push_back(node);
    for (size_t next : dependencies[node]) {
      if (ordered[next]) continue;
      if (colour[next] == Grey) {
        auto it = std::find(stack.begin(), stack.end(), next);
        cycle.assign(it, stack.end());
        cycle.push_back(next);
        return true;
      }
      if (colour[next] == White && visit(next)) return true;
    }
    stack.pop_back();
    colour[node] = Black;
    return false;
  };
  for (size_t node = 0; node < dependencies.size(); ++node)
    if (!ordered[node] && colour[node] == White && visit(node)) break;
  return cycle;
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
