#include "store/profile.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "util/error.h"
#include "util/fs.h"
#include "util/names.h"
#include "util/quote.h"

namespace nixproc {

Profile::Profile(std::string profiles_dir, std::string name)
    : dir_(std::move(profiles_dir)), name_(std::move(name)) {
  if (auto reason = invalid_name_reason(name_); !reason.empty())
    throw Error("invalid profile name " + quote(name_) + ": " + reason);
}

std::string Profile::generation_link(int number) const {
  return dir_ + "/" + name_ + "-" + std::to_string(number) + "-link";
}

std::vector<Generation> Profile::generations() const {
  std::vector<Generation> found;
  std::string prefix = name_ + "-", suffix = "-link";
  for (const auto& entry : fs::list_directory(dir_)) {
    if (entry.size() <= prefix.size() + suffix.size() || entry.rfind(prefix, 0) != 0 ||
        entry.compare(entry.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    std::string number = entry.substr(prefix.size(), entry.size() - prefix.size() - suffix.size());
    if (number.empty() || number.size() > 9 ||
        !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    Generation generation;
    generation.number = std::stoi(number);
    generation.link = dir_ + "/" + entry;
    generation.target = fs::read_link(generation.link);
    struct stat st;
    if (::lstat(generation.link.c_str(), &st) == 0) generation.time = st.st_mtime;
    found.push_back(generation);
  }
  std::sort(found.begin(), found.end(),
            [](const Generation& a, const Generation& b) { return a.number < b.number; });
  return found;
}

std::optional<Generation> Profile::current() const {
  if (!fs::is_symlink(link())) return std::nullopt;
  std::string target = fs::read_link(link());
  for (const auto& generation : generations())
    if (fs::basename(generation.link) == target || generation.link == target) return generation;
  return std::nullopt;
}

int Profile::set(const std::string& store_path) {
  auto existing = current();
  if (existing && existing->target == store_path) return existing->number;
  auto all = generations();
  int number = all.empty() ? 1 : all.back().number + 1;
  fs::replace_symlink(store_path, generation_link(number));
  switch_to(number);
  return number;
}

void Profile::switch_to(int number) {
  std::string link_name = name_ + "-" + std::to_string(number) + "-link";
  if (!fs::is_symlink(dir_ + "/" + link_name))
    throw Error("profile " + name_ + " has no generation " + std::to_string(number));
  fs::replace_symlink(link_name, link());
  fs::sync_filesystem(dir_);
}

std::vector<int> Profile::delete_generations(const std::vector<std::string>& spec) {
  auto all = generations();
  auto active = current();
  std::set<int> doomed;
  std::time_t now = std::time(nullptr);
  for (const auto& item : spec) {
    if (item == "old") {
      for (const auto& generation : all) doomed.insert(generation.number);
    } else if (item.size() > 1 && item.back() == 'd' &&
               std::all_of(item.begin(), item.end() - 1, ::isdigit)) {
      long days = std::stol(item.substr(0, item.size() - 1));
      for (const auto& generation : all)
        if (generation.time < now - days * 86400) doomed.insert(generation.number);
    } else if (item.size() > 1 && item[0] == '+' &&
               std::all_of(item.begin() + 1, item.end(), ::isdigit)) {
      size_t keep = std::stoul(item.substr(1));
      for (size_t i = 0; i + keep < all.size(); ++i) doomed.insert(all[i].number);
    } else if (!item.empty() && item.size() < 10 &&
               std::all_of(item.begin(), item.end(), ::isdigit)) {
      int number = std::stoi(item);
      if (std::none_of(all.begin(), all.end(),
                       [&](const Generation& g) { return g.number == number; }))
        throw Error("profile " + name_ + " has no generation " + item);
      doomed.insert(number);
    } else {
      throw Error("cannot understand generation " + quote(item) +
                  " (expected a number, old, <N>d or +<N>)");
    }
  }
  std::vector<int> deleted;
  for (int number : doomed) {
    if (active && active->number == number) continue;
    fs::remove_tree(generation_link(number));
    deleted.push_back(number);
  }
  return deleted;
}

void Profile::delete_all() {
  for (const auto& generation : generations()) fs::remove_tree(generation.link);
  fs::remove_tree(link());
}

}  // namespace nixproc
