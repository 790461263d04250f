#pragma once
// Talking to the runit of a state directory: the Suite the shared
// supervision core (backends/common/supervision.h) drives runit with, and
// sv, which runit's deploy uses directly.
#include <string>
#include <vector>

#include "backends/common/supervision.h"
#include "util/subprocess.h"

namespace nixproc::runit {

extern const Suite suite;

// Whether a runsv supervises `dir`: it holds supervise/ok open for reading.
bool is_supervised(const std::string& dir);

RunResult sv(const std::vector<std::string>& args, int timeout_seconds);

struct ServiceState {
  std::string state;  // run, down, finish, or "" when sv cannot tell
  long pid = 0;
  bool want_up = false;  // down but runsv will start it again
  std::string line;      // sv's own words
};

ServiceState service_state(const std::string& dir);

}  // namespace nixproc::runit
