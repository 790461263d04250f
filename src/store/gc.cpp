#include "store/gc.h"

#include <sys/stat.h>
#include <unistd.h>

#include <ctime>

#include "util/fs.h"

namespace nixproc {

static bool is_hash_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}
static bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '.' || c == '_' || c == '?' || c == '=' || c == '-';
}

static void scan_text(const Store& store, const std::string& text, std::set<std::string>& found) {
  const std::string prefix = store.dir() + "/";
  for (size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at + 1)) {
    size_t hash_start = at + prefix.size();
    size_t i = hash_start;
    while (i < text.size() && is_hash_char(text[i])) ++i;
    if (i - hash_start != 32 || i >= text.size() || text[i] != '-') continue;
    size_t end = i + 1;
    while (end < text.size() && is_name_char(text[end])) ++end;
    std::string candidate = text.substr(at, end - at);
    // The name may run into text that follows it; the longest existing prefix wins.
    while (candidate.size() > prefix.size() + 33 && !fs::lexists(candidate)) candidate.pop_back();
    if (fs::lexists(candidate)) found.insert(candidate);
  }
}

static void scan(const Store& store, const std::string& path, std::set<std::string>& found) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return;
  if (S_ISLNK(st.st_mode)) {
    scan_text(store, fs::read_link(path), found);
  } else if (S_ISDIR(st.st_mode)) {
    for (const auto& name : fs::list_directory(path)) scan(store, path + "/" + name, found);
  } else if (S_ISREG(st.st_mode)) {
    scan_text(store, fs::read_file(path), found);
  }
}

std::set<std::string> find_references(const Store& store, const std::string& path) {
  std::set<std::string> found;
  scan(store, path, found);
  found.erase(path);
  return found;
}

std::set<std::string> live_paths(const Store& store, const std::vector<std::string>& roots) {
  std::set<std::string> live;
  std::vector<std::string> pending;
  for (const auto& root : roots) {
    std::string top = store.top_level(root);
    if (!top.empty() && live.insert(top).second) pending.push_back(top);
  }
  while (!pending.empty()) {
    std::string path = pending.back();
    pending.pop_back();
    for (const auto& reference : find_references(store, path))
      if (live.insert(reference).second) pending.push_back(reference);
  }
  return live;
}

static std::uint64_t disk_usage(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return 0;
  std::uint64_t total = static_cast<std::uint64_t>(st.st_size);
  if (S_ISDIR(st.st_mode))
    for (const auto& name : fs::list_directory(path)) total += disk_usage(path + "/" + name);
  return total;
}

GcResult collect_garbage(const Store& store, const std::vector<std::string>& roots, bool dry_run) {
  auto live = live_paths(store, roots);
  GcResult result;
  std::time_t now = std::time(nullptr);
  for (const auto& name : fs::list_directory(store.dir())) {
    std::string path = store.dir() + "/" + name;
    if (name[0] == '.') {
      // Staging files of a build that died; a running build holds the store lock.
      struct stat st;
      if (name.rfind(".tmp-", 0) == 0 && ::lstat(path.c_str(), &st) == 0 &&
          st.st_mtime < now - 3600 && !dry_run)
        fs::remove_tree(path);
      continue;
    }
    if (live.count(path)) continue;
    result.bytes += disk_usage(path);
    result.removed.push_back(path);
    if (!dry_run) fs::remove_tree(path);
  }
  return result;
}

std::vector<std::string> gc_roots(const Home& home) {
  std::vector<std::string> roots;
  for (const auto& name : fs::list_directory(home.profiles)) {
    std::string path = home.profiles + "/" + name;
    if (name.size() > 5 && name.compare(name.size() - 5, 5, "-link") == 0 && fs::is_symlink(path))
      roots.push_back(fs::read_link(path));
  }
  for (const auto& name : fs::list_directory(home.gcroots)) {
    std::string link = home.gcroots + "/" + name;
    std::string result_link = fs::read_link(link);
    if (fs::is_symlink(result_link))
      roots.push_back(fs::read_link(result_link));
    else
      ::unlink(link.c_str());  // the result link is gone, so is the root
  }
  return roots;
}

}  // namespace nixproc
