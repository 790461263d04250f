#pragma once
// Where nixproc's own files are (Nix library, init-functions, helper programs)
// and where it keeps its bookkeeping (store, profiles).
#include <optional>
#include <string>

namespace nixproc {

struct Installation {
  std::string libexec_dir;  // nixproc-daemon, nixproc-pidof, nixproc-chainload-user,
                            // nixproc-foreground-proxy, webapp
  std::string nix_dir;      // the Nix library models import as <nixproc>
  std::string share_dir;    // init-functions
  std::string examples_dir;
};

// Found next to the running executable (installed layout or build tree);
// NIXPROC_DATA_DIR overrides the data location (a directory with nix/ and share/).
Installation locate_installation();

struct Home {
  std::string root;       // --nixproc-home, NIXPROC_HOME, /var/lib/nixproc (root) or
                          // $XDG_STATE_HOME/nixproc (default ~/.local/state/nixproc)
  std::string store;      // <root>/store: immutable, content-addressed files
  std::string profiles;   // <root>/profiles: <profile> -> <profile>-<N>-link -> store
  std::string gcroots;    // <root>/gcroots: out-links of `nixproc build`
  std::string nix_roots;  // <root>/nix-roots: Nix GC roots of the profiles' software
};

Home resolve_home(const std::optional<std::string>& option);
// Creates the directories of `home`.
void prepare_home(const Home& home);

}  // namespace nixproc
