#pragma once
// `nixproc switch` as one call: under the profile's lock, repair an
// interrupted switch, pick the process manager, get the generation to deploy
// (built, built before, or an existing one) and switch to it; or delete
// generations instead.
#include <functional>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "core/installation.h"
#include "deploy/build.h"
#include "deploy/switch.h"

namespace nixproc {

struct SwitchRequest {
  std::string profile = "processes";
  // The process manager asked for; empty: the current generation's, else
  // sysvinit. "none" is refused (it only builds).
  std::string process_manager;

  // What is deployed: the previous generation (rollback), generation
  // `options.generation` (>= 0), a profile `nixproc build` made
  // (built_profile), else what `build` makes.
  bool rollback = false;
  std::string built_profile;
  // Building is the caller's (deploy never evaluates a model). Once the
  // process manager is known, `open_build` is called, whether or not a build
  // follows (it refuses bad options); `build` only when nothing else is
  // deployed, with the store locked against garbage collection.
  std::function<void(const Backend& backend)> open_build;
  std::function<BuildOutput(const Backend& backend)> build;

  // Instead of deploying: delete every generation and the profile link, or
  // the generations these specs name (Profile::delete_generations).
  bool delete_all_generations = false;
  std::vector<std::string> delete_generations;

  SwitchOptions options;
};

// Carries out `request` on the profile of that name in `home` (prepared:
// prepare_home). Throws nixproc::Error when another switch of the profile
// runs, and as switch_profile does.
void run_switch(const Home& home, const SwitchRequest& request);

}  // namespace nixproc
