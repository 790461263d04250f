// `nixproc compat`: helpers for models written for the original framework.
#include "cli/commands.h"

namespace nixproc::cli {

void register_compat(CLI::App& app, Action& action) {
  auto* compat =
      app.add_subcommand("compat", "Helpers for models written for the original nix-processmgmt");
  compat->require_subcommand(1);
  register_compat_link(*compat, action);
}

}  // namespace nixproc::cli
