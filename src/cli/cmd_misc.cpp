#include <unistd.h>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "nixstore/nix_store.h"
#include "nixstore/realise.h"
#include "store/gc.h"
#include "store/profile.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/lock.h"
#include "util/log.h"
#include "util/subprocess.h"

namespace nixproc::cli {

void register_init_state(CLI::App& app, Action& action) {
  auto options = std::make_shared<CommonOptions>();
  auto* command = app.add_subcommand("init-state", "Create the state directories processes share");
  options->add_dir_options(*command);
  command->callback([options, &action] {
    action = [options] {
      init_state(resolve_state_dirs(options->dirs), ::geteuid() == 0);
      return 0;
    };
  });
}

// The private Nix store is nixproc's own, so its garbage goes too; in the
// system store, nix-collect-garbage deletes what the released roots kept.
static void collect_private_nix_store(const Home& home, bool dry_run) {
  NixStore store = choose_nix_store("private", home);
  if (!fs::is_directory(home.root + "/nix/var")) return;
  std::vector<std::string> argv = {"nix-store"};
  for (const auto& option : nix_store_options(store)) argv.push_back(option);
  argv.push_back("--gc");
  if (dry_run) argv.push_back("--print-dead");
  RunResult result = run(argv, capturing());
  if (!result.ok())
    throw Error("cannot collect the garbage of " + store.description + ": " + result.err);
  if (dry_run) {
    std::printf("%s", result.out.c_str());
    return;
  }
  // "N store paths deleted, X MiB freed" is the line worth keeping.
  std::string err = result.out + "\n" + result.err;
  if (auto at = err.rfind(" store paths deleted"); at != std::string::npos) {
    size_t begin = err.rfind('\n', at);
    begin = begin == std::string::npos ? 0 : begin + 1;
    log::info(store.description + ": " + err.substr(begin, err.find('\n', at) - begin));
  }
}

void register_gc(CLI::App& app, Action& action) {
  struct Options {
    std::optional<std::string> home;
    bool dry_run = false;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "gc",
      "Delete store paths that no profile generation or build result refers to, release the "
      "Nix GC roots of the software they used, and collect the private Nix store");
  command->add_flag("--dry-run", options->dry_run, "Only list what would be deleted");
  command->add_option("--nixproc-home", options->home, "Where nixproc keeps its store")
      ->type_name("DIR");
  command->callback([options, &action] {
    action = [options] {
      Home home = resolve_home(options->home);
      prepare_home(home);
      FileLock lock(home.store + "/.lock", false, "a build or switch", false);
      Store store(home.store);
      std::vector<std::string> roots = gc_roots(home);
      GcResult result = collect_garbage(store, roots, options->dry_run);
      for (const auto& path : result.removed) std::printf("%s\n", path.c_str());
      log::info(std::to_string(result.removed.size()) + " store paths " +
                (options->dry_run ? "would be " : "") + "deleted, " +
                std::to_string(result.bytes / 1024) + " KiB");
      // The Nix store's paths go with Nix's own collector, once no root of
      // ours keeps them: the roots of profiles no generation or result uses.
      std::set<std::string> keep;
      for (const auto& root : roots) keep.insert(profile_nix_roots(root));
      auto released = release_nix_roots(home.nix_roots, keep, options->dry_run);
      if (!released.empty())
        log::info(std::to_string(released.size()) + (released.size() == 1 ? " set" : " sets") +
                  " of Nix GC roots " + (options->dry_run ? "would be " : "") + "released");
      collect_private_nix_store(home, options->dry_run);
      return 0;
    };
  });
}

void register_data_dir(CLI::App& app, Action& action) {
  auto* command = app.add_subcommand(
      "data-dir", "Print where nixproc's Nix library is (for nix-instantiate -I nixproc=...)");
  command->callback([&action] {
    action = [] {
      std::printf("%s\n", locate_installation().nix_dir.c_str());
      return 0;
    };
  });
}

}  // namespace nixproc::cli
