// compat: helpers for models written for the original framework and nixpkgs.
// Each subcommand registers itself below; `compat` alone lists them.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "compat/host_packages.h"
#include "core/installation.h"
#include "util/fs.h"
#include "util/log.h"

namespace nixproc::cli {

namespace {

// gen-pkgs: the host's packages as pkgs.<attr> for the <nixpkgs> compatibility set.
void register_gen_pkgs(CLI::App& compat, Action& action) {
  struct Options {
    std::optional<std::string> home, table, output;
  };
  auto options = std::make_shared<Options>();
  auto* command = compat.add_subcommand(
      "gen-pkgs",
      "Write the host package list of the <nixpkgs> compatibility set (pkgs.nginx, "
      "pkgs.coreutils, ...) from dpkg's file lists and the package tables");
  command
      ->add_option("--table", options->table,
                   "One more package table (lines `ATTRIBUTE PACKAGE...`), read after the "
                   "shipped one and <nixproc-home>/compat/package-table")
      ->type_name("FILE");
  command
      ->add_option("-o,--output", options->output,
                   "Where to write (default <nixproc-home>/compat/host-packages.nix, the "
                   "file nixproc passes to models as NIXPROC_HOST_PACKAGES)")
      ->type_name("FILE");
  command
      ->add_option("--nixproc-home", options->home,
                   "nixproc's home (env NIXPROC_HOME); its compat/ holds the user's table")
      ->type_name("DIR");
  command->callback([options, &action] {
    action = [options] {
      Home home = resolve_home(options->home);
      Installation installation = locate_installation();
      compat::PackageTable table = compat::load_tables(installation, home, options->table);
      std::string output =
          options->output ? fs::absolute_path(*options->output) : compat::host_packages_path(home);
      auto packages = compat::generate_host_packages(table, output);
      size_t installed = 0, farms = 0;
      for (const auto& package : packages) {
        if (package.version.empty()) continue;
        ++installed;
        if (package.layout.prefix.empty()) ++farms;
        log::detail(package.attr + ": " + package.package + " " + package.version + ", " +
                    (package.layout.prefix.empty() ? "link farm" : package.layout.prefix));
      }
      log::info(std::to_string(packages.size()) + " attributes, " + std::to_string(installed) +
                " installed (" + std::to_string(farms) + " as link farms), " +
                std::to_string(packages.size() - installed) + " not installed");
      std::printf("%s\n", output.c_str());
      return 0;
    };
  });
}

}  // namespace

void register_compat(CLI::App& app, Action& action) {
  auto* compat = app.add_subcommand(
      "compat", "Run models written for the original framework and nixpkgs (docs/compat.md)");
  compat->require_subcommand(1);
  register_gen_pkgs(*compat, action);
  register_compat_link(*compat, action);
}

}  // namespace nixproc::cli
