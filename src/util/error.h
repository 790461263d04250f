#pragma once
// One error type for everything a user can get wrong or the system can refuse.
// Commands catch it at the top, print the message and exit with `exit_code`.
#include <stdexcept>
#include <string>

#include "util/exit_codes.h"

namespace nixproc {

struct Error : std::runtime_error {
  explicit Error(const std::string& message, int exit_code = kExitFailure)
      : std::runtime_error(message), exit_code(exit_code) {}
  int exit_code;
};

}  // namespace nixproc
