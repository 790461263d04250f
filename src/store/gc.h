#pragma once
// Garbage collection: store paths that no root reaches are deleted. A path
// refers to another when its bytes (file contents, symlink targets) contain
// that path, the way Nix finds references.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/installation.h"
#include "store/store.h"

namespace nixproc {

// The store paths whose text appears in `path` (a file or a tree).
std::set<std::string> find_references(const Store& store, const std::string& path);

// Every store path reachable from `roots`.
std::set<std::string> live_paths(const Store& store, const std::vector<std::string>& roots);

struct GcResult {
  std::vector<std::string> removed;
  std::uint64_t bytes = 0;
};

// Deletes what is not live (or only lists it, with `dry_run`). Staging
// directories of builds that are still running are left alone.
GcResult collect_garbage(const Store& store, const std::vector<std::string>& roots, bool dry_run);

// The roots of `home`: every generation of every profile, and the result
// links of builds (a root whose result link is gone is removed).
std::vector<std::string> gc_roots(const Home& home);

}  // namespace nixproc
