#pragma once
// Running steps in dependency order with bounded concurrency: a step starts
// once every step it waits for has finished, at most `jobs` at a time.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace nixproc {

struct ScheduleResult {
  std::vector<size_t> done;  // the steps that succeeded, in the order they finished
  std::string error;         // the first failure's message; empty when all succeeded
};

// `after[i]`: the steps i waits for. `work(i)` reports failure by throwing
// nixproc::Error; after a failure no new step starts, running ones finish.
ScheduleResult run_scheduled(const std::vector<std::vector<size_t>>& after, int jobs,
                             const std::function<void(size_t)>& work);

}  // namespace nixproc
