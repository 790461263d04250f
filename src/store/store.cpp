#include "store/store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/quote.h"

namespace nixproc {

static constexpr size_t kHashLength = 32;

Store::Store(std::string dir, std::string root) : dir_(std::move(dir)), root_(std::move(root)) {}

bool Store::is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > 200 || name[0] == '.') return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '.' || c == '_' || c == '?' || c == '=' || c == '-';
    if (!ok) return false;
  }
  return true;
}

static void check_name(const std::string& name) {
  if (!Store::is_valid_name(name))
    throw Error("invalid store name " + quote(name) + " (use letters, digits and +._?=-)");
}

std::string Store::file_path(const std::string& name, std::string_view content,
                             bool executable) const {
  check_name(name);
  Sha256 hash;
  hash.update(std::string("nixproc-file:") + (executable ? "x" : "-") + ":" + name + "\n");
  hash.update(content);
  return dir_ + "/" + hash.hex().substr(0, kHashLength) + "-" + name;
}

std::string Store::add_file(const std::string& name, std::string_view content, bool executable) {
  std::string path = file_path(name, content, executable);
  if (fs::lexists(physical(path))) return path;
  // No fsync per file: callers sync the filesystem once before they depend on it.
  fs::write_file_atomic(physical(path), std::string(content), executable ? 0555 : 0444, false);
  return path;
}

std::string Store::tree_path(const std::string& name, std::vector<TreeEntry>& entries) const {
  check_name(name);
  std::sort(entries.begin(), entries.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; });
  Sha256 hash;
  hash.update("nixproc-tree:" + name + "\n");
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& entry = entries[i];
    if (entry.path.empty() || entry.path[0] == '/' || entry.path.find("..") != std::string::npos)
      throw Error("internal error: bad tree entry path \"" + entry.path + "\"");
    if (i > 0 && entries[i - 1].path == entry.path)
      throw Error("two files would be placed at " + entry.path);
    hash.update(std::to_string(entry.kind) + " " + entry.path + " " +
                std::to_string(entry.data.size()) + "\n");
    hash.update(entry.data);
  }
  return dir_ + "/" + hash.hex().substr(0, kHashLength) + "-" + name;
}

// The directories an entry list makes (every parent of an entry's path),
// each once. In reverse order a directory comes after everything inside it.
static std::set<std::string> tree_directories(const std::vector<TreeEntry>& entries) {
  std::set<std::string> dirs;
  for (const auto& entry : entries)
    for (size_t slash = entry.path.find('/'); slash != std::string::npos;
         slash = entry.path.find('/', slash + 1))
      dirs.insert(entry.path.substr(0, slash));
  return dirs;
}

std::string Store::add_tree(const std::string& name, std::vector<TreeEntry> entries) {
  std::string path = tree_path(name, entries);
  if (fs::lexists(physical(path))) return path;
  std::string staging =
      physical(dir_) + "/.tmp-" + std::to_string(::getpid()) + "-" + fs::basename(path);
  fs::remove_tree(staging);
  fs::make_directories(staging);
  try {
    std::string last_dir;
    for (const auto& entry : entries) {
      std::string target = staging + "/" + entry.path;
      std::string parent = fs::dirname(target);
      if (parent != last_dir) {
        fs::make_directories(parent);
        last_dir = parent;
      }
      if (entry.kind == TreeEntry::Symlink) {
        if (::symlink(entry.data.c_str(), target.c_str()) != 0)
          throw Error("cannot create symlink " + target + ": " + fs::errno_text());
      } else {
        fs::write_new_file(target, entry.data, entry.kind == TreeEntry::Executable ? 0555 : 0444);
      }
    }
    // Made read-only from the list it was made from: walking the tree would
    // stat every entry again (80,000 of a 10,000-instance profile's).
    std::set<std::string> dirs = tree_directories(entries);
    for (auto it = dirs.rbegin(); it != dirs.rend(); ++it)
      if (::chmod((staging + "/" + *it).c_str(), 0555) != 0)
        throw Error("cannot make " + staging + "/" + *it + " read-only: " + fs::errno_text());
    ::chmod(staging.c_str(), 0555);
    if (::rename(staging.c_str(), physical(path).c_str()) != 0) {
      if (errno != EEXIST && errno != ENOTEMPTY)
        throw Error("cannot move " + staging + " to " + path + ": " + fs::errno_text());
      fs::remove_tree(staging);  // someone else stored the same tree meanwhile
    }
  } catch (...) {
    fs::remove_tree(staging);
    throw;
  }
  return path;
}

bool Store::contains(const std::string& path) const {
  if (path.size() <= dir_.size() + 1 + kHashLength + 1) return false;
  if (path.compare(0, dir_.size(), dir_) != 0 || path[dir_.size()] != '/') return false;
  std::string rest = path.substr(dir_.size() + 1);
  return rest.find('/') == std::string::npos && rest[kHashLength] == '-';
}

std::string Store::top_level(const std::string& path) const {
  if (path.compare(0, dir_.size() + 1, dir_ + "/") != 0) return "";
  size_t end = path.find('/', dir_.size() + 1);
  return end == std::string::npos ? path : path.substr(0, end);
}

}  // namespace nixproc
