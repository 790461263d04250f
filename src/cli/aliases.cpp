#include "cli/aliases.h"

#include <optional>
#include <sstream>

namespace nixproc::cli {

namespace {

struct Alias {
  const char* name;     // may hold one `*`
  const char* command;  // nixproc's words; a `*` repeats what the name's matched
};

constexpr Alias kAliases[] = {
#define NIXPROC_LINK(name, command) {name, command},
#define NIXPROC_RULE(name, command) {name, command},
#include "cli/aliases.def"
#undef NIXPROC_LINK
#undef NIXPROC_RULE
};

// What the `*` of `pattern` matched in `program` (empty for a name without
// one), or nullopt when it does not match; a `*` matches one character or more.
std::optional<std::string> match(const std::string& pattern, const std::string& program) {
  auto star = pattern.find('*');
  if (star == std::string::npos)
    return program == pattern ? std::optional<std::string>("") : std::nullopt;
  std::string prefix = pattern.substr(0, star), suffix = pattern.substr(star + 1);
  if (program.size() <= prefix.size() + suffix.size() || program.rfind(prefix, 0) != 0 ||
      program.compare(program.size() - suffix.size(), suffix.size(), suffix) != 0)
    return std::nullopt;
  return program.substr(prefix.size(), program.size() - prefix.size() - suffix.size());
}

}  // namespace

std::vector<std::string> expand_alias(const std::string& program, std::vector<std::string> args) {
  for (const auto& alias : kAliases) {
    auto matched = match(alias.name, program);
    if (!matched) continue;
    std::vector<std::string> words;
    std::istringstream command(alias.command);
    for (std::string word; command >> word;) words.push_back(word == "*" ? *matched : word);
    args.insert(args.begin(), words.begin(), words.end());
    break;
  }
  return args;
}

}  // namespace nixproc::cli
