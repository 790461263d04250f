#include "daemon/environment.h"

#include <algorithm>

namespace nixproc::daemon {

namespace {

std::string name_of(const std::string& entry) {
  return entry.substr(0, entry.find('='));
}

bool matches(const std::string& name, const std::string& pattern) {
  if (!pattern.empty() && pattern.back() == '*')
    return name.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0;
  return name == pattern;
}

void set(std::vector<std::string>& environment, const std::string& entry) {
  std::string name = name_of(entry);
  auto same = std::find_if(environment.begin(), environment.end(),
                           [&](const std::string& existing) { return name_of(existing) == name; });
  if (same != environment.end())
    *same = entry;
  else
    environment.push_back(entry);
}

}  // namespace

const std::vector<std::string>& default_kept_variables() {
  static const std::vector<std::string> names = {"PATH", "LANG", "LC_*",   "TZ",
                                                 "HOME", "USER", "LOGNAME"};
  return names;
}

std::vector<std::string> daemon_environment(char** current, const EnvironmentPolicy& policy) {
  std::vector<std::string> environment;
  for (char** entry = current; entry && *entry; ++entry) {
    std::string item = *entry;
    if (item.find('=') == std::string::npos) continue;
    std::string name = name_of(item);
    bool kept = policy.inherit || std::any_of(policy.keep.begin(), policy.keep.end(),
                                              [&](const auto& p) { return matches(name, p); });
    if (kept) set(environment, item);
  }
  if (!policy.inherit && std::none_of(environment.begin(), environment.end(),
                                      [](const auto& e) { return name_of(e) == "PATH"; }))
    environment.push_back(std::string("PATH=") + kDefaultPath);
  for (const auto& addition : policy.additions)
    if (addition.find('=') != std::string::npos) set(environment, addition);
  return environment;
}

std::string environment_value(const std::vector<std::string>& environment,
                              const std::string& name) {
  for (const auto& entry : environment)
    if (name_of(entry) == name) return entry.substr(name.size() + 1);
  return "";
}

}  // namespace nixproc::daemon
