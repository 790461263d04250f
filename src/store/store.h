#pragma once
// The content-addressed, immutable store: every file or tree lives at
// <store>/<h>-<name>, where h is derived from the content, so a changed
// content is a new path and an existing path never changes.
#include <string>
#include <string_view>
#include <vector>

namespace nixproc {

struct TreeEntry {
  enum Kind { File, Executable, Symlink };
  std::string path;  // relative, '/'-separated
  Kind kind = File;
  std::string data;  // file content or symlink target
};

class Store {
 public:
  // `root`: where the store really is written, for a store that will live at
  // `dir` elsewhere (an image's /var/lib/nixproc/store built in a staging
  // directory, like DESTDIR). Paths the store returns are always under `dir`.
  explicit Store(std::string dir, std::string root = "");
  const std::string& dir() const { return dir_; }
  // Where `path` (under dir()) is on this machine.
  std::string physical(const std::string& path) const { return root_ + path; }

  // The path a file gets. Same formula as the Nix library's writeTextFile:
  // sha256("nixproc-file:" + (x|-) + ":" + name + "\n" + content), 32 hex digits.
  std::string file_path(const std::string& name, std::string_view content, bool executable) const;
  // Stores a file unless it is there already; returns its path.
  std::string add_file(const std::string& name, std::string_view content, bool executable);
  // Stores a directory tree; returns its path.
  std::string add_tree(const std::string& name, std::vector<TreeEntry> entries);
  std::string tree_path(const std::string& name, std::vector<TreeEntry>& entries) const;

  // Whether `path` is a (top-level) path in this store.
  bool contains(const std::string& path) const;
  // <store>/<h>-<name> for a path anywhere below a store path.
  std::string top_level(const std::string& path) const;

  // Store names are file names: [A-Za-z0-9+._?=-], not starting with '.'.
  static bool is_valid_name(std::string_view name);

 private:
  std::string dir_, root_;
};

}  // namespace nixproc
