#pragma once
// Realising what a model refers to in the Nix store (derivations it builds,
// files its path literals copied) before anything is deployed, and keeping it
// alive: every set of realised paths gets GC roots, which live as long as a
// profile that names them (nixproc gc releases the rest).
#include <map>
#include <set>
#include <string>
#include <vector>

#include "nixstore/nix_store.h"

namespace nixproc {

// Per instance key, the store paths its config refers to, as nix-store
// --realise arguments: "<drv>!<out>,<out>", "<drv>" (every output) or a path.
using NixNeeds = std::map<std::string, std::set<std::string>>;

// One entry of Nix's string context (builtins.getContext) as such an argument.
std::vector<std::string> realise_arguments(const std::string& path, bool is_path, bool all_outputs,
                                           const std::vector<std::string>& outputs);

struct RealisedSoftware {
  std::string roots;               // the roots' name under the roots directory; empty: none
  std::vector<std::string> paths;  // what the roots keep: outputs and copied sources
};

// Builds everything `needs` names in `store` and roots it under
// `roots_dir`/<name>; a set realised before is only checked. A failing build
// is an Error that names the instances whose software failed and Nix's
// message. `timeout_seconds` (0: none) bounds the build.
RealisedSoftware realise_software(const NixStore& store, const NixNeeds& needs,
                                  const std::string& roots_dir, int timeout_seconds);

// The file a profile keeps its roots' name in (first line), then the paths.
inline constexpr const char* kNixRootsFile = "nix-roots";
std::string nix_roots_file_text(const RealisedSoftware& software);
// The store paths a nix-roots file's text names (its lines after the first).
std::vector<std::string> nix_roots_paths(const std::string& text);
// The roots' name a profile at `profile_path` keeps alive; empty for none.
std::string profile_nix_roots(const std::string& profile_path);

// Deletes the roots under `roots_dir` that `keep` does not name (Nix's
// garbage collector may then delete what only they kept); returns them.
std::vector<std::string> release_nix_roots(const std::string& roots_dir,
                                           const std::set<std::string>& keep, bool dry_run);

}  // namespace nixproc
