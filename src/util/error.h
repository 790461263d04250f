#pragma once
// One error type for everything a user can get wrong or the system can refuse.
// Commands catch it at the top, print the message and exit with `exit_code`.
#include <stdexcept>
#include <string>
#include <string_view>

#include "util/exit_codes.h"

namespace nixproc {

struct Error : std::runtime_error {
  explicit Error(const std::string& message, int exit_code = kExitFailure)
      : std::runtime_error(message), exit_code(exit_code) {}
  int exit_code;
};

// "instance KEY", how every message about one instance names it.
inline std::string instance_label(std::string_view key) {
  return "instance " + std::string(key);
}

// "instance KEY: MESSAGE".
inline Error instance_error(std::string_view key, std::string_view message) {
  return Error(instance_label(key) + ": " + std::string(message));
}

}  // namespace nixproc
