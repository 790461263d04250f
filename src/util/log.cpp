#include "util/log.h"

#include <cstdio>

namespace nixproc::log {

static bool verbose_enabled = false;

void set_verbose(bool verbose) {
  verbose_enabled = verbose;
}
bool verbose() {
  return verbose_enabled;
}

void info(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
}

void detail(const std::string& message) {
  if (verbose_enabled) std::fprintf(stderr, "%s\n", message.c_str());
}

void warning(const std::string& message) {
  std::fprintf(stderr, "warning: %s\n", message.c_str());
}

}  // namespace nixproc::log
