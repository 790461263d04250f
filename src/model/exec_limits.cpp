#include "model/exec_limits.h"

#include <unistd.h>

#include "util/error.h"

namespace nixproc::model {

namespace {

void check_length(size_t bytes, const std::string& field, const std::string& context) {
  if (bytes > kMaxArgumentBytes)
    throw Error(context + ": field " + field + ": " + std::to_string(bytes) +
                " bytes, more than the " + std::to_string(kMaxArgumentBytes) +
                " the kernel passes to a program in one argument or environment variable");
}

// Asked once: sysconf(_SC_ARG_MAX) costs a getrlimit call, for every instance.
size_t exec_limit() {
  static const size_t cached = [] {
    long limit = ::sysconf(_SC_ARG_MAX);
    if (limit <= 0) limit = 2 * 1024 * 1024;
    size_t bytes = static_cast<size_t>(limit);
    return bytes > 2 * kArgMaxMargin ? bytes - kArgMaxMargin : bytes / 2;
  }();
  return cached;
}

}  // namespace

void check_argument_lengths(const std::vector<std::string>& args, const std::string& field,
                            const std::string& context) {
  for (size_t i = 0; i < args.size(); ++i)
    check_length(args[i].size(), field + "[" + std::to_string(i) + "]", context);
}

void check_environment_lengths(const std::map<std::string, std::string>& environment,
                               const std::string& context) {
  for (const auto& [name, value] : environment)
    check_length(name.size() + 1 + value.size(), "environment." + name, context);
}

void check_exec_size(const std::vector<std::string>& args, const std::string& field,
                     const std::map<std::string, std::string>& environment,
                     const std::string& context) {
  // exec copies each string with its NUL and a pointer to it.
  size_t total = 0;
  for (const auto& arg : args) total += arg.size() + 1 + sizeof(char*);
  for (const auto& [name, value] : environment)
    total += name.size() + 1 + value.size() + 1 + sizeof(char*);
  size_t limit = exec_limit();
  if (total > limit)
    throw Error(context + ": " + field + " and environment take " + std::to_string(total) +
                " bytes together, more than the " + std::to_string(limit) +
                " this system passes to a new program (ARG_MAX less " +
                std::to_string(kArgMaxMargin / 1024) + " KiB for what the process manager adds)");
}

}  // namespace nixproc::model
