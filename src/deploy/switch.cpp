#include "deploy/switch.h"

#include <unistd.h>

#include <set>

#include "core/state_dirs.h"
#include "deploy/claims.h"
#include "deploy/credentials.h"
#include "deploy/plan.h"
#include "deploy/preflight.h"
#include "deploy/scheduler.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/json_input.h"
#include "util/log.h"

namespace nixproc {

std::optional<Manifest> current_manifest(const Profile& profile) {
  auto generation = profile.current();
  if (!generation) return std::nullopt;
  return read_manifest(generation->target);
}

namespace {

using Step = std::pair<const ManifestInstance*, const Backend*>;

void run_step(const char* verb, const Step& step, const DeployOptions& options) {
  log::info(std::string(verb) + " " + step.first->key);
  if (std::string(verb) == "starting")
    step.second->activate(step.first->deployed(), options);
  else
    step.second->deactivate(step.first->deployed(), options);
}

// Best effort: keep going and report, used when restoring after a failure.
// Returns whether every step succeeded.
bool run_steps_quietly(const char* verb, const std::vector<Step>& steps,
                       const DeployOptions& options) {
  bool all_done = true;
  for (const auto& step : steps) {
    try {
      run_step(verb, step, options);
    } catch (const Error& error) {
      log::warning(error.what());
      all_done = false;
    }
  }
  return all_done;
}

// Confirms the starts `done` holds (indices into `steps`), in start order
// (Backend::confirm). The first that fails is taken out of `done` and its
// error returned; "" when all succeeded.
std::string confirm_starts(const std::vector<const ManifestInstance*>& steps,
                           const Backend* backend, std::set<size_t>& done,
                           const DeployOptions& options) {
  if (!backend->confirm) return "";
  for (size_t i = 0; i < steps.size(); ++i) {
    if (!done.count(i)) continue;
    try {
      backend->confirm(steps[i]->deployed(), options);
    } catch (const Error& error) {
      done.erase(i);
      return error.what();
    }
  }
  return "";
}

bool confirm_steps_quietly(const std::vector<Step>& steps, const DeployOptions& options) {
  bool all_done = true;
  for (const auto& [instance, backend] : steps) {
    if (!backend->confirm) continue;
    try {
      backend->confirm(instance->deployed(), options);
    } catch (const Error& error) {
      log::warning(error.what());
      all_done = false;
    }
  }
  return all_done;
}

// The order constraints within one phase: `after[i]` lists the steps that
// must finish before step i. Starting waits for the dependencies being
// started; stopping waits for the dependants being stopped.
std::vector<std::vector<size_t>> step_order(const std::vector<const ManifestInstance*>& steps,
                                            bool stopping) {
  std::map<std::string, size_t> position;
  for (size_t i = 0; i < steps.size(); ++i) position[steps[i]->key] = i;
  std::vector<std::vector<size_t>> after(steps.size());
  for (size_t i = 0; i < steps.size(); ++i)
    for (const auto& dependency : steps[i]->dependencies)
      if (auto it = position.find(dependency); it != position.end())
        (stopping ? after[it->second] : after[i]).push_back(stopping ? i : it->second);
  return after;
}

// Runs one phase; returns the steps done and throws nothing: the caller
// decides what a failure means. With `best_effort` (a repair) a failed step
// is a warning and the others still run.
ScheduleResult run_phase(const char* verb, const std::vector<const ManifestInstance*>& steps,
                         const Backend* backend, bool stopping, const SwitchOptions& options,
                         bool best_effort = false) {
  DeployOptions deploy = options.deploy;
  deploy.capture_output = options.jobs > 1 && steps.size() > 1;
  return run_scheduled(step_order(steps, stopping), options.jobs, [&](size_t i) {
    try {
      run_step(verb, {steps[i], backend}, deploy);
    } catch (const Error& error) {
      if (!best_effort) throw;
      log::warning(error.what());
    }
  });
}

// Stops, then starts, independent instances in parallel; on a failure undoes
// what it did and throws SwitchFailed, which says whether the undo was
// complete: the journal survives only when the next switch has to repair.
struct SwitchFailed : Error {
  bool restored;
  SwitchFailed(const std::string& message, bool restored) : Error(message), restored(restored) {}
};

// Tells a manager which profile is about to run (Backend::prepare), if it
// wants to know.
void prepare(const Backend* backend, const DeployedProfile& profile, const DeployOptions& options) {
  if (!backend || !backend->prepare) return;
  log::detail(std::string("preparing ") + backend->name + " for " +
              (profile.path.empty() ? "an empty deployment" : profile.path));
  backend->prepare(profile, options);
}

bool prepare_quietly(const Backend* backend, const DeployedProfile& profile,
                     const DeployOptions& options) {
  try {
    prepare(backend, profile, options);
    return true;
  } catch (const Error& error) {
    log::warning(error.what());
    return false;
  }
}

// Both generations of a switch, as backends see them.
struct Change {
  const Backend* old_backend;  // null: nothing was deployed
  DeployedProfile old_profile;
  const Backend& next_backend;
  DeployedProfile next_profile;
  bool changes_manager() const { return old_backend && old_backend != &next_backend; }
};

void apply(const Plan& plan, const Change& change, const SwitchOptions& options) {
  const Backend* old_backend = change.old_backend;
  const Backend& next_backend = change.next_backend;
  std::vector<Step> stopped, started, failed;
  ScheduleResult stops = run_phase("stopping", plan.stop, old_backend, true, options);
  for (size_t i : stops.done) stopped.push_back({plan.stop[i], old_backend});
  std::string error = stops.error;
  if (error.empty()) {
    try {
      if (change.changes_manager()) prepare(old_backend, {}, options.deploy);
      prepare(&next_backend, change.next_profile, options.deploy);
    } catch (const Error& failure) {
      error = failure.what();
    }
  }
  if (error.empty()) {
    ScheduleResult starts = run_phase("starting", plan.start, &next_backend, false, options);
    std::set<size_t> done(starts.done.begin(), starts.done.end());
    error = starts.error;
    // Every start is under way: now each must prove it stays up (the
    // settle times run out together, not one after the other).
    if (error.empty()) error = confirm_starts(plan.start, &next_backend, done, options.deploy);
    // An instance that failed to start may have left something behind (a
    // supervisor entry, a half-started process): stop the ones not done too.
    for (size_t i = 0; i < plan.start.size(); ++i)
      if (!done.count(i)) failed.push_back({plan.start[i], &next_backend});
    for (size_t i : starts.done)
      if (done.count(i)) started.push_back({plan.start[i], &next_backend});
  }
  if (error.empty()) return;
  log::info("the switch failed: " + error);
  log::info("restoring the previous deployment");
  DeployOptions quiet = options.deploy;
  bool restored = run_steps_quietly("cleaning up", failed, quiet);
  restored = run_steps_quietly("stopping", {started.rbegin(), started.rend()}, quiet) && restored;
  if (change.changes_manager()) restored = prepare_quietly(&next_backend, {}, quiet) && restored;
  restored =
      prepare_quietly(old_backend ? old_backend : &next_backend, change.old_profile, quiet) &&
      restored;
  std::vector<Step> restarted(stopped.rbegin(), stopped.rend());
  restored = run_steps_quietly("starting", restarted, quiet) && restored;
  restored = confirm_steps_quietly(restarted, quiet) && restored;
  throw SwitchFailed(
      error + (restored ? "\nthe previous deployment was restored; the profile is unchanged"
                        : "\nthe previous deployment could not be fully restored; "
                          "the next switch repairs it"),
      restored);
}

// A field of the journal: where the interrupted switch was going ("to") or
// coming from ("from"); nullopt when the journal cannot be read (empty,
// garbage, not a file): then that is unknown.
std::optional<std::string> journal_field(const Profile& profile, const char* field) {
  const std::string& file = profile.journal_file();
  try {
    json journal = parse_json_text(fs::read_input_file(file, "the switch journal"), file);
    if (journal.is_object() && journal.contains(field) && journal[field].is_string())
      return journal[field].get<std::string>();
    if (std::string(field) == "to") log::warning(file + ": not a switch journal (no \"to\")");
  } catch (const Error& error) {
    if (std::string(field) == "to") log::warning(error.what());
  }
  return std::nullopt;
}

// The manifest of an interrupted switch's target, if it can still be read.
std::optional<Manifest> interrupted_manifest(const std::optional<std::string>& to) {
  if (!to || !is_profile(*to)) return std::nullopt;
  try {
    return read_manifest(*to);
  } catch (const Error& error) {
    log::warning(error.what());
    return std::nullopt;
  }
}

// Refuses the switch, before anything changed, when an instance it would
// start cannot start here (deploy/preflight.h).
void check_preflight(const Plan& plan, const StateDirs& dirs) {
  std::string problems;
  for (const auto& problem : preflight_problems(plan.start, dirs)) problems += problem + "\n";
  if (!problems.empty())
    throw Error(problems + "the switch was refused before anything was stopped; nothing changed");
}

}  // namespace

void switch_profile(Profile& profile, const std::string& profile_path, const Manifest& next,
                    const SwitchOptions& options) {
  auto generation = profile.current();
  std::optional<Manifest> old;
  if (generation) old = read_manifest(generation->target);
  const Backend* old_backend = old ? &options.backends(old->process_manager) : nullptr;
  const Backend& next_backend = options.backends(next.process_manager);
  Plan plan = make_plan(old ? &*old : nullptr, old_backend, next, next_backend, options.deploy);
  log::detail("plan: stop " + std::to_string(plan.stop.size()) + ", start " +
              std::to_string(plan.start.size()) + ", keep " + std::to_string(plan.keep.size()));
  StateDirs dirs = StateDirs::from_params(next.params);
  check_preflight(plan, dirs);
  // Another profile's instances of the same names: refused before anything changes.
  ClaimOwner owner = claim_owner(profile);
  check_claims(claims_dir(next.params), claimed_names(next), owner);
  if (options.dry_run) {
    for (const auto* instance : plan.stop) std::printf("stop %s\n", instance->key.c_str());
    for (const auto* instance : plan.start) std::printf("start %s\n", instance->key.c_str());
    for (const auto* instance : plan.keep) std::printf("keep %s\n", instance->key.c_str());
    return;
  }
  std::string reason;
  if (!options.privileged && !dirs.force_disable_user_change && needs_privileges(next, reason))
    throw Error(reason +
                ", which needs root; run nixproc as root or pass --force-disable-user-change");

  init_state(dirs, options.privileged);
  json created =
      fs::exists(profile.accounts_file())
          ? parse_json_text(fs::read_input_file(profile.accounts_file(), "the accounts record"),
                            profile.accounts_file())
          : json::object();
  size_t before = created.dump().size();
  for (const auto& done : create_accounts(next, &created)) log::info(done);
  if (created.dump().size() != before)
    fs::write_file_atomic(profile.accounts_file(), created.dump() + "\n");

  json journal = {{"from", generation ? json(generation->target) : json(nullptr)},
                  {"to", profile_path},
                  {"pid", ::getpid()}};
  take_claims(claims_dir(next.params), claimed_names(next), owner,
              [&] { fs::write_file_atomic(profile.journal_file(), journal.dump() + "\n"); });
  try {
    Change change{old_backend, old ? deployed_profile(*old, generation->target) : DeployedProfile{},
                  next_backend, deployed_profile(next, profile_path)};
    apply(plan, change, options);
  } catch (const SwitchFailed& failure) {
    if (failure.restored) {
      release_claims(next, old ? &*old : nullptr, owner);
      ::unlink(profile.journal_file().c_str());
    }
    throw;
  }
  int number = options.generation;
  if (number >= 0)
    profile.switch_to(number);
  else
    number = profile.set(profile_path);
  ::unlink(profile.journal_file().c_str());
  if (old) release_claims(*old, &next, owner);
  log::detail("profile " + profile.name() + " is now generation " + std::to_string(number));
  if (options.remove_unused_accounts && options.privileged && !dirs.force_disable_user_change &&
      old)
    for (const auto& done : remove_unused_accounts(*old, next, created)) log::info(done);
}

void repair_interrupted_switch(Profile& profile, const SwitchOptions& switch_options) {
  const DeployOptions& options = switch_options.deploy;
  if (!fs::lexists(profile.journal_file())) return;
  std::optional<std::string> to = journal_field(profile, "to");
  auto generation = profile.current();
  ClaimOwner owner = claim_owner(profile);
  if (to && generation && generation->target == *to) {  // it finished; only the journal was left
    std::optional<std::string> from = journal_field(profile, "from");
    std::optional<Manifest> finished = interrupted_manifest(to);
    if (from && finished && is_profile(*from))
      release_claims(read_manifest(*from), &*finished, owner);
    fs::remove_tree(profile.journal_file());
    return;
  }
  log::info("a previous switch of profile " + profile.name() +
            " was interrupted; restoring the processes of the current generation");
  std::optional<Manifest> interrupted = interrupted_manifest(to), current;
  if (generation) current = read_manifest(generation->target);
  if (!interrupted && !current) {
    fs::remove_tree(profile.journal_file());
    return;
  }
  if (!interrupted)
    log::warning(
        "where the interrupted switch was going is unknown: the processes of the "
        "current generation are started again where they are not running; what "
        "that switch may have started besides them is left as it is");
  Manifest empty;
  empty.process_manager = current ? current->process_manager : interrupted->process_manager;
  const Manifest& target = current ? *current : empty;
  // Every step is idempotent: stopping what never started and starting what
  // still runs both do nothing. Without the interrupted target, everything
  // of the current generation is started.
  const Backend& to_backend = switch_options.backends(target.process_manager);
  const Backend& from_backend =
      interrupted ? switch_options.backends(interrupted->process_manager) : to_backend;
  Plan plan = interrupted ? make_plan(&*interrupted, &from_backend, target, to_backend, options)
                          : make_plan(nullptr, nullptr, target, to_backend, options);
  // Instances another profile deployed meanwhile are its own now.
  std::set<std::string> theirs_before =
      interrupted ? foreign_names(*interrupted, owner) : std::set<std::string>{};
  std::set<std::string> theirs_now = reclaim(target, owner);
  std::vector<const ManifestInstance*> stops, starts;
  for (const auto* instance : plan.stop)
    if (!theirs_before.count(instance->name)) stops.push_back(instance);
  for (const auto* instance : plan.start)
    if (!theirs_now.count(instance->name)) starts.push_back(instance);
  // In dependency order and in parallel, as a switch does: one at a time
  // took a second per instance under s6.
  SwitchOptions phase{options};
  phase.jobs = switch_options.jobs;
  run_phase("stopping", stops, &from_backend, true, phase, true);
  if (&from_backend != &to_backend) prepare_quietly(&from_backend, {}, options);
  prepare_quietly(&to_backend,
                  current ? deployed_profile(*current, generation->target) : DeployedProfile{},
                  options);
  ScheduleResult started = run_phase("starting", starts, &to_backend, false, phase, true);
  std::vector<Step> confirmed;
  for (size_t i : started.done) confirmed.push_back({starts[i], &to_backend});
  confirm_steps_quietly(confirmed, options);
  if (interrupted) release_claims(*interrupted, &target, owner);
  fs::remove_tree(profile.journal_file());
}

}  // namespace nixproc
