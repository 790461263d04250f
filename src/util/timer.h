#pragma once
// Phase timings for --verbose, so slow steps show where they spend time.
#include <chrono>
#include <string>

#include "util/log.h"

namespace nixproc {

class PhaseTimer {
 public:
  explicit PhaseTimer(std::string what) : what_(std::move(what)), start_(Clock::now()) {}
  ~PhaseTimer() {
    auto ms = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start_).count() /
              1000.0;
    log::detail(what_ + ": " + std::to_string(ms) + " ms");
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::string what_;
  Clock::time_point start_;
};

}  // namespace nixproc
