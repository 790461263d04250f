#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>

#include "backends/backend.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "deploy/build.h"
#include "deploy/switch_command.h"
#include "util/fs.h"

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

// Evaluates, realises and builds the model (nothing, with --undeploy) for
// the process manager the switch chose.
struct ModelBuild {
  const SwitchCommandOptions& options;
  const Home& home;
  std::optional<Session> session;

  void open(const Backend& backend) { session = open_session(options.common, home, backend.name); }
  BuildOutput build(const Backend& backend) {
    model::LoadedModel loaded;
    if (!options.undeploy) {
      loaded = load(*session, options.common, choose_model(options.model));
      realise(*session, options.common, loaded);
    }
    session->context.runtime = store_runtime(session->store, session->installation);
    return build_profile(loaded, backend, session->context, session->store);
  }
};

int run_switch_command(const SwitchCommandOptions& options) {
  Home home = resolve_home(options.common.home);
  prepare_home(home);
  if (options.list_generations)
    return list_generations(Profile(home.profiles, options.common.profile));

  SwitchRequest request;
  request.profile = options.common.profile;
  request.process_manager = choose_process_manager(options.common, "");
  request.rollback = options.rollback;
  if (!options.undeploy && !options.model.empty() && is_profile(options.model))
    request.built_profile = fs::real_path(options.model);  // a profile built before (nixproc build)
  ModelBuild model_build{options, home, std::nullopt};
  request.open_build = [&](const Backend& backend) { model_build.open(backend); };
  request.build = [&](const Backend& backend) { return model_build.build(backend); };
  request.delete_all_generations = options.delete_all;
  request.delete_generations = options.delete_generations;
  request.options = {
      options.common.deploy_options(), ::geteuid() == 0,    options.dry_run,
      options.switch_generation,       options.common.jobs, options.remove_unused_accounts};
  run_switch(home, request);
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
  command->callback(
      [options, &action] { action = [options] { return run_switch_command(*options); }; });
}

}  // namespace nixproc::cli
