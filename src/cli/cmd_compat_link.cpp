// `nixproc compat link CHECKOUT` (src/compat/link.h). Registered on the
// `compat` command by register_compat.
#include <cstdio>

#include "cli/commands.h"
#include "compat/link.h"
#include "core/installation.h"

namespace nixproc::cli {

void register_compat_link(CLI::App& compat, Action& action) {
  auto* command = compat.add_subcommand(
      "link",
      "Point a checkout of the original nix-processmgmt at nixproc's compatibility tree: its "
      "nixproc/ folder moves to nixproc.orig and becomes a symlink, so the checkout's models "
      "import nixproc's library");
  static std::string checkout;
  command->add_option("checkout", checkout, "The nix-processmgmt checkout")->required();
  command->callback([&action] {
    action = [] {
      std::string tree = locate_installation().nix_dir + "/compat/nix-processmgmt/nixproc";
      std::printf("%s\n", compat::link_checkout(checkout, tree).c_str());
      return 0;
    };
  });
}

}  // namespace nixproc::cli
