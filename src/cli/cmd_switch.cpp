#include <cstdio>
#include <ctime>
#include <memory>

#include "backends/backend.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "deploy/build.h"
#include "deploy/switch.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/lock.h"
#include "util/log.h"

namespace nixproc::cli {

namespace {

struct SwitchCommandOptions {
  CommonOptions common;
  std::string model;
  bool undeploy = false, rollback = false, list_generations = false, delete_all = false;
  bool dry_run = false, remove_unused_accounts = false;
  int switch_generation = -1;
  std::vector<std::string> delete_generations;
};

int list_generations(const Profile& profile) {
  auto current = profile.current();
  for (const auto& generation : profile.generations()) {
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", std::localtime(&generation.time));
    std::printf("%4d   %s%s\n", generation.number, when,
                current && current->number == generation.number ? "   (current)" : "");
  }
  return 0;
}

std::string target_generation(const Profile& profile, const SwitchCommandOptions& options) {
  auto generations = profile.generations();
  if (options.rollback) {
    if (generations.size() < 2)
      throw Error("unable to roll back: profile " + profile.name() + " has no previous generation");
    return generations[generations.size() - 2].target;
  }
  for (const auto& generation : generations)
    if (generation.number == options.switch_generation) return generation.target;
  throw Error("cannot switch to generation " + std::to_string(options.switch_generation) +
              ": profile " + profile.name() + " has no such generation");
}

int run_switch(const SwitchCommandOptions& options) {
  Home home = resolve_home(options.common.home);
  prepare_home(home);
  Profile profile(home.profiles, options.common.profile);
  if (options.list_generations) return list_generations(profile);

  // Refused before anything happens, the repair of an interrupted switch included.
  std::string requested = choose_process_manager(options.common, "");
  if (requested == "none")
    throw Error("the `none` process manager only builds; use `nixproc build -P none`");
  if (!requested.empty()) find_backend(requested);  // a typo
  FileLock profile_lock(profile.lock_file(), false, "a switch of profile " + profile.name());
  if (options.delete_all) {
    profile.delete_all();
    return 0;
  }
  if (!options.delete_generations.empty()) {
    for (int number : profile.delete_generations(options.delete_generations))
      log::info("removed generation " + std::to_string(number));
    return 0;
  }

  DeployOptions deploy_options = options.common.deploy_options();
  repair_interrupted_switch(profile, deploy_options, options.common.jobs);

  auto current = current_manifest(profile);
  std::string pm =
      choose_process_manager(options.common, current ? current->process_manager : "sysvinit");
  const Backend& backend = find_backend(pm);
  Session session = open_session(options.common, pm);
  FileLock store_lock(session.store.dir() + "/.lock", true, "garbage collection", true);

  std::string profile_path;
  Manifest manifest;
  bool from_generation = options.rollback || options.switch_generation >= 0;
  if (from_generation) {
    profile_path = target_generation(profile, options);
    manifest = read_manifest(profile_path);
  } else if (!options.undeploy && !options.model.empty() && is_profile(options.model)) {
    profile_path = fs::real_path(options.model);  // a profile built before (nixproc build)
    manifest = read_manifest(profile_path);
  } else {
    model::LoadedModel loaded;
    if (!options.undeploy) {
      loaded = load(session, options.common, choose_model(options.model));
      realise(session, options.common, loaded);
    }
    session.context.runtime = store_runtime(session.store, session.installation);
    auto built = build_profile(loaded, backend, session.context, session.store);
    profile_path = built.profile_path;
    manifest = std::move(built.manifest);
  }
  SwitchOptions switch_options{deploy_options,      session.context.privileged,
                               options.dry_run,     options.switch_generation,
                               options.common.jobs, options.remove_unused_accounts};
  switch_profile(profile, profile_path, manifest, switch_options);
  return 0;
}

}  // namespace

void register_switch(CLI::App& app, Action& action) {
  auto options = std::make_shared<SwitchCommandOptions>();
  auto* command = app.add_subcommand(
      "switch",
      "Deploy a processes model: start what is new, restart what changed, stop what is gone");
  options->common.add_model_options(*command);
  options->common.add_ids_option(*command);
  options->common.add_profile_option(*command);
  options->common.add_deploy_options(*command);
  options->common.add_dir_options(*command);
  auto* undeploy = command->add_flag("--undeploy", options->undeploy,
                                     "Stop and remove every process of the profile");
  auto* rollback =
      command->add_flag("--rollback", options->rollback, "Deploy the previous generation again");
  auto* generation = command
                         ->add_option("--switch-generation,--switch-to-generation",
                                      options->switch_generation, "Deploy generation N")
                         ->type_name("N");
  auto* list =
      command->add_flag("--list-generations", options->list_generations, "List the generations");
  auto* remove =
      command
          ->add_option("--delete-generations", options->delete_generations,
                       "Delete generations: numbers, old, <N>d or +<N> (the current one stays)")
          ->type_name("SPEC");
  auto* remove_all =
      command->add_flag("--delete-all-generations", options->delete_all,
                        "Delete every generation and the profile link (processes keep running)");
  command->add_flag("--remove-unused-accounts", options->remove_unused_accounts,
                    "Delete the users and groups that only removed instances declared (as root; "
                    "by default they are left in place)");
  command->add_flag("--dry-run", options->dry_run,
                    "Print what would be stopped, started and kept; change nothing");
  auto* model =
      command->add_option("model", options->model,
                          "The processes model (.nix or .json; env NIXPROC_PROCESSES), or a "
                          "profile built by `nixproc build`");
  for (auto* first : {undeploy, rollback, generation, list, remove, remove_all})
    for (auto* second : {undeploy, rollback, generation, list, remove, remove_all})
      if (first != second) first->excludes(second);
  for (auto* operation : {undeploy, rollback, generation, list, remove, remove_all})
    operation->excludes(model);
  command->callback([options, &action] { action = [options] { return run_switch(*options); }; });
}

}  // namespace nixproc::cli
