#include "backends/s6rc/source_check.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "util/fs.h"

namespace nixproc::s6rc {

namespace {

std::vector<std::string> names_in(const std::string& file) {
  std::vector<std::string> names;
  if (!fs::exists(file)) return names;
  std::string text = fs::read_file(file), word;
  for (char c : text + "\n") {
    if (c == '\n' || c == ' ' || c == '\t') {
      if (!word.empty() && word[0] != '#') names.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  return names;
}

std::string first_line(const std::string& file) {
  if (!fs::exists(file)) return "";
  std::string text = fs::read_file(file);
  return text.substr(0, text.find('\n'));
}

}  // namespace

std::vector<std::string> source_problems(const std::string& dir) {
  std::vector<std::string> problems;
  std::map<std::string, std::string> types;
  for (const auto& name : fs::list_directory(dir)) {
    if (name[0] == '.' || !fs::is_directory(dir + "/" + name)) continue;
    types[name] = first_line(dir + "/" + name + "/type");
  }
  // s6-rc-compile makes a bundle of each pipeline, named by its pipeline-name.
  std::map<std::string, std::string> pipelines;
  for (const auto& [name, type] : types)
    if (auto pipeline = first_line(dir + "/" + name + "/pipeline-name"); !pipeline.empty()) {
      if (types.count(pipeline))
        problems.push_back(name + ": pipeline-name " + pipeline + " is also a service's name");
      pipelines[pipeline] = name;
    }
  for (const auto& [pipeline, member] : pipelines) types[pipeline] = "pipeline";
  auto has = [&](const std::string& name, const char* file) {
    return fs::exists(dir + "/" + name + "/" + file);
  };
  std::map<std::string, std::vector<std::string>> edges;  // dependencies and bundle contents
  for (const auto& [name, type] : types) {
    std::string where = name + ": ";
    if (type == "pipeline") continue;
    if (type == "longrun") {
      if (!has(name, "run")) problems.push_back(where + "a longrun without run");
    } else if (type == "oneshot") {
      if (!has(name, "up")) problems.push_back(where + "a oneshot without up");
    } else if (type == "bundle") {
      if (!has(name, "contents")) problems.push_back(where + "a bundle without contents");
    } else {
      problems.push_back(where + "type is \"" + type + "\", not longrun, oneshot or bundle");
      continue;
    }
    for (const char* file : {"dependencies", "contents"})
      for (const auto& other : names_in(dir + "/" + name + "/" + file)) {
        if (!types.count(other))
          problems.push_back(where + file + " names " + other + ", which is not defined");
        else
          edges[name].push_back(other);
      }
    for (const auto& [file, back] :
         {std::pair{"producer-for", "consumer-for"}, std::pair{"consumer-for", "producer-for"}}) {
      for (const auto& other : names_in(dir + "/" + name + "/" + file)) {
        if (!types.count(other)) {
          problems.push_back(where + file + " names " + other + ", which is not defined");
          continue;
        }
        auto partners = names_in(dir + "/" + other + "/" + back);
        if (type != "longrun" || types[other] != "longrun" ||
            std::find(partners.begin(), partners.end(), name) == partners.end())
          problems.push_back(where + file + " " + other + " is not matched by " + other + "'s " +
                             back);
      }
    }
  }
  // Depth-first search for a cycle through dependencies and bundles.
  std::map<std::string, int> state;  // 1: on the current path, 2: done
  std::vector<std::string> path;
  std::function<bool(const std::string&)> visit = [&](const std::string& name) {
    if (state[name] == 2) return false;
    if (state[name] == 1) {
      std::string cycle;
      auto start = std::find(path.begin(), path.end(), name);
      for (auto it = start; it != path.end(); ++it) cycle += *it + " -> ";
      problems.push_back("dependency cycle: " + cycle + name);
      return true;
    }
    state[name] = 1;
    path.push_back(name);
    for (const auto& other : edges[name])
      if (visit(other)) return true;
    path.pop_back();
    state[name] = 2;
    return false;
  };
  for (const auto& [name, type] : types)
    if (visit(name)) break;
  return problems;
}

}  // namespace nixproc::s6rc
