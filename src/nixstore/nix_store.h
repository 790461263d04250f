#pragma once
// Which Nix store the software of a model is built in: the system store when
// this user can use it, else a private store under the nixproc home, so an
// unprivileged user without a Nix daemon still gets real, built paths.
#include <string>
#include <vector>

#include "core/installation.h"

namespace nixproc {

struct NixStore {
  std::string uri;              // for --store; empty: Nix's own default (NIX_REMOTE or local)
  std::string store_dir;        // where its paths are (/nix/store, or <home>/nix/store)
  std::string description;      // for messages and --help: "the system store /nix/store", ...
  bool no_build_users = false;  // root without a nixbld group: builds run as root
  bool no_substitutes = false;  // a store no binary cache can fill
};

// --nix-store / NIXPROC_NIX_STORE: "auto" (default), "system", "private" or a
// Nix store URI ("daemon", "local?store=..."). auto: NIX_REMOTE when it is
// set; the system store for root or when its database is writable; the Nix
// daemon when its socket exists; otherwise the private store.
NixStore choose_nix_store(const std::string& choice, const Home& home);

// The options every nix-instantiate and nix-store call against `store` gets.
std::vector<std::string> nix_store_options(const NixStore& store);

// What --nix-store's help says.
extern const char* const kNixStoreHelp;

}  // namespace nixproc
