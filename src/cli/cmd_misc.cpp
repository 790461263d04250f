#include <unistd.h>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "store/gc.h"
#include "store/profile.h"
#include "util/fs.h"
#include "util/lock.h"
#include "util/log.h"

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

// Roots: every generation of every profile, and the result links of builds.
static std::vector<std::string> gc_roots(const Home& home) {
  std::vector<std::string> roots;
  for (const auto& name : fs::list_directory(home.profiles)) {
    std::string path = home.profiles + "/" + name;
    if (name.size() > 5 && name.compare(name.size() - 5, 5, "-link") == 0 && fs::is_symlink(path))
      roots.push_back(fs::read_link(path));
  }
  for (const auto& name : fs::list_directory(home.gcroots)) {
    std::string link = home.gcroots + "/" + name;
    std::string result_link = fs::read_link(link);
    if (fs::is_symlink(result_link))
      roots.push_back(fs::read_link(result_link));
    else
      ::unlink(link.c_str());  // the result link is gone, so is the root
  }
  return roots;
}

void register_gc(CLI::App& app, Action& action) {
  struct Options {
    std::optional<std::string> home;
    bool dry_run = false;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "gc", "Delete store paths that no profile generation or build result refers to");
  command->add_flag("--dry-run", options->dry_run, "Only list what would be deleted");
  command->add_option("--nixproc-home", options->home, "Where nixproc keeps its store")
      ->type_name("DIR");
  command->callback([options, &action] {
    action = [options] {
      Home home = resolve_home(options->home);
      prepare_home(home);
      FileLock lock(home.store + "/.lock", false, "a build or switch", false);
      Store store(home.store);
      GcResult result = collect_garbage(store, gc_roots(home), options->dry_run);
      for (const auto& path : result.removed) std::printf("%s\n", path.c_str());
      log::info(std::to_string(result.removed.size()) + " store paths " +
                (options->dry_run ? "would be " : "") + "deleted, " +
                std::to_string(result.bytes / 1024) + " KiB");
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
