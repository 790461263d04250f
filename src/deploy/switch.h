#pragma once
// Switching a profile to a new generation: plan, apply with rollback on
// failure, then flip the profile link. A journal beside the profile records a
// switch in progress, so a switch that was killed is repaired by the next one.
#include <string>

#include "backends/backend.h"
#include "deploy/manifest.h"
#include "store/profile.h"

namespace nixproc {

// The backend a manifest's process_manager names (find_backend; unit tests
// put a fake in its place).
using BackendLookup = const Backend& (*)(const std::string& name);

struct SwitchOptions {
  DeployOptions deploy;
  bool privileged = false;
  bool dry_run = false;  // print the plan, change nothing
  int generation = -1;   // >= 0: flip to this existing generation instead of adding one
  int jobs = 4;          // processes started or stopped at the same time
  // Delete the users and groups only removed instances declared (root only).
  bool remove_unused_accounts = false;
  BackendLookup backends = find_backend;
};

// Deploys the profile at `profile_path` (with manifest `next`) and makes it
// the current generation of `profile`. The caller holds the profile lock.
// On a failed activation the previous processes are restored, the profile
// stays as it was, and nixproc::Error is thrown.
void switch_profile(Profile& profile, const std::string& profile_path, const Manifest& next,
                    const SwitchOptions& options);

// If a previous switch of `profile` died half-way, bring the processes back to
// the current generation, `options.jobs` at a time (only `deploy`, `jobs` and
// `backends` of `options` count). The caller holds the profile lock.
void repair_interrupted_switch(Profile& profile, const SwitchOptions& options);

// The manifest of the current generation, if there is one.
std::optional<Manifest> current_manifest(const Profile& profile);

}  // namespace nixproc
