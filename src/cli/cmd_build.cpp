#include <cstdio>
#include <memory>

#include "backends/backend.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "deploy/build.h"
#include "deploy/preflight.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/lock.h"
#include "util/log.h"

namespace nixproc::cli {

namespace {

struct BuildOptions {
  CommonOptions common;
  std::string model;
  std::string out_link = "result";
  bool no_out_link = false;
};

// Like nix-build's result link: the link is also registered as a GC root, so
// the profile it points at survives `nixproc gc` while the link exists.
void make_out_link(const Session& session, const std::string& link, const std::string& target) {
  std::string absolute = fs::absolute_path(link);
  fs::replace_symlink(target, absolute);
  std::string root = session.home.gcroots + "/" + sha256_hex(absolute).substr(0, 32);
  fs::replace_symlink(absolute, root);
}

int run_build(const BuildOptions& options) {
  std::string pm = choose_process_manager(options.common, "sysvinit");
  if (pm != "none") find_backend(pm);  // fail on a typo before evaluating anything
  Session session = open_session(options.common, pm);
  FileLock store_lock(session.store.dir() + "/.lock", true, "garbage collection", true);
  auto loaded = load(session, options.common, choose_model(options.model));
  realise(session, options.common, loaded);
  std::string path;
  if (pm == "none") {
    path = build_agnostic(loaded, session.store);
  } else {
    session.context.runtime = store_runtime(session.store, session.installation);
    BuildOutput built = build_profile(loaded, find_backend(pm), session.context, session.store);
    path = built.profile_path;
    // What `switch` would refuse on this machine, said now.
    std::vector<const ManifestInstance*> instances;
    for (const auto& instance : built.manifest.instances) instances.push_back(&instance);
    for (const auto& problem : preflight_problems(instances, session.context.dirs))
      log::warning(problem + " (a switch on this machine would refuse it)");
  }
  if (!options.no_out_link) make_out_link(session, options.out_link, path);
  std::printf("%s\n", path.c_str());
  return 0;
}

}  // namespace

void register_build(CLI::App& app, Action& action) {
  auto options = std::make_shared<BuildOptions>();
  auto* command = app.add_subcommand(
      "build",
      "Build the profile of a processes model for a process manager, without deploying it");
  command->alias("nixproc-build");
  options->common.add_model_options(*command);
  options->common.add_ids_option(*command);
  options->common.add_dir_options(*command);
  command->add_option("-o,--out-link", options->out_link,
                      "Name of the result link (default: result)");
  command->add_flag("--no-out-link", options->no_out_link, "Do not create a result link");
  command->add_option("model", options->model,
                      "The processes model (.nix or .json; env NIXPROC_PROCESSES)");
  command->callback([options, &action] { action = [options] { return run_build(*options); }; });
}

}  // namespace nixproc::cli
