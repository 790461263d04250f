#include "deploy/switch_command.h"

#include "util/error.h"
#include "util/lock.h"
#include "util/log.h"

namespace nixproc {

namespace {

// The target of the generation a rollback or --switch-generation deploys.
std::string target_generation(const Profile& profile, const SwitchRequest& request) {
  auto generations = profile.generations();
  if (request.rollback) {
    if (generations.size() < 2)
      throw Error("unable to roll back: profile " + profile.name() + " has no previous generation");
    return generations[generations.size() - 2].target;
  }
  for (const auto& generation : generations)
    if (generation.number == request.options.generation) return generation.target;
  throw Error("cannot switch to generation " + std::to_string(request.options.generation) +
              ": profile " + profile.name() + " has no such generation");
}

void delete_generations(Profile& profile, const SwitchRequest& request) {
  if (request.delete_all_generations) {
    profile.delete_all();
    return;
  }
  for (int number : profile.delete_generations(request.delete_generations))
    log::info("removed generation " + std::to_string(number));
}

}  // namespace

void run_switch(const Home& home, const SwitchRequest& request) {
  const SwitchOptions& options = request.options;
  Profile profile(home.profiles, request.profile);
  // Refused before anything happens, the repair of an interrupted switch included.
  if (request.process_manager == "none")
    throw Error("the `none` process manager only builds; use `nixproc build -P none`");
  if (!request.process_manager.empty()) options.backends(request.process_manager);  // a typo
  FileLock profile_lock(profile.lock_file(), false, "a switch of profile " + profile.name());
  if (request.delete_all_generations || !request.delete_generations.empty()) {
    delete_generations(profile, request);
    return;
  }

  repair_interrupted_switch(profile, options);

  auto current = current_manifest(profile);
  std::string pm = request.process_manager;
  if (pm.empty()) pm = current ? current->process_manager : "sysvinit";
  const Backend& backend = options.backends(pm);
  if (request.open_build) request.open_build(backend);
  FileLock store_lock(home.store + "/.lock", true, "garbage collection", true);

  std::string profile_path;
  Manifest manifest;
  if (request.rollback || options.generation >= 0) {
    profile_path = target_generation(profile, request);
    manifest = read_manifest(profile_path);
  } else if (!request.built_profile.empty()) {
    profile_path = request.built_profile;
    manifest = read_manifest(profile_path);
  } else {
    if (!request.build) throw Error("nothing to deploy: no model was given");
    BuildOutput built = request.build(backend);
    profile_path = built.profile_path;
    manifest = std::move(built.manifest);
  }
  switch_profile(profile, profile_path, manifest, options);
}

}  // namespace nixproc
