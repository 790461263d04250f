#include <memory>

#include "backends/activity.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "deploy/activities.h"
#include "deploy/switch.h"
#include "util/error.h"
#include "util/exit_codes.h"
#include "util/lock.h"

namespace nixproc::cli {

namespace {

struct ActivityOptions {
  CommonOptions common;
  std::string activity;
  std::vector<std::string> names;
  std::string profile_path;  // runactivity: a profile other than the current generation
  bool reverse = false;
  bool status_table = false;  // `status`: nixproc's own check instead of the scripts'
};

Manifest deployed_manifest(const Profile& profile, const std::string& profile_path) {
  if (!profile_path.empty()) return read_manifest(profile_path);
  auto manifest = current_manifest(profile);
  if (!manifest)
    throw Error("profile " + profile.name() + " has nothing deployed; run `nixproc switch` first");
  return *manifest;
}

int run_activity_command(const ActivityOptions& options) {
  Home home = resolve_home(options.common.home);
  Profile profile(home.profiles, options.common.profile);
  Manifest manifest = deployed_manifest(profile, options.profile_path);
  DeployOptions deploy_options = options.common.deploy_options();
  if (options.status_table) return print_status(manifest, options.names, deploy_options);
  if (options.activity == "status")
    return run_activities(manifest, {"status", options.names, options.reverse, deploy_options});
  std::optional<FileLock> lock;
  if (options.profile_path.empty())
    lock.emplace(profile.lock_file(), false, "a switch of profile " + profile.name());
  ActivityRequest request{options.activity, options.names,
                          (options.activity == "stop") != options.reverse, deploy_options};
  return run_activities(manifest, request);
}

// The Exit status section of the activities' --help (docs/process-managers.md,
// "Activities and their exit statuses").
std::string activity_exit_statuses() {
  return exit_status_section({
             exit_status(kActivityDone, "done; status: running"),
             exit_status(kActivityFailed, "failed, the reason is on stderr (also a usage error)"),
             exit_status(kUnknownActivity,
                         "the process manager has no such activity; or "
                         "another switch holds the profile's lock"),
             exit_status(kNotRunning,
                         "status: not running, a stale PID file included; reload: "
                         "the instance cannot reload"),
             exit_status(kReloadNotRunning, "reload: the instance does not run"),
         }) +
         "With several instances, the first failure's status is the command's "
         "(docs/process-managers.md).";
}

void add_common(CLI::App& command, ActivityOptions& options) {
  options.common.add_profile_option(command);
  options.common.add_deploy_options(command);
  command.add_flag("-r,--reverse", options.reverse, "Reverse the dependency order");
  command.add_option("--nixproc-home", options.common.home, "Where nixproc keeps its profiles")
      ->type_name("DIR");
  command.footer(activity_exit_statuses());
}

}  // namespace

void register_activities(CLI::App& app, Action& action) {
  const std::pair<const char*, const char*> simple[] = {
      {"start", "Start deployed processes (all, or the NAMEs) in dependency order"},
      {"stop", "Stop deployed processes in reverse dependency order"},
      {"restart", "Restart deployed processes in dependency order"},
      {"reload", "Make deployed processes reload their configuration (HUP)"},
      {"status", "Show whether deployed processes run; exit 0 only if all do, else 3"},
  };
  for (const auto& [name, help] : simple) {
    auto options = std::make_shared<ActivityOptions>();
    options->activity = name;
    options->status_table = std::string(name) == "status";
    auto* command = app.add_subcommand(name, help);
    add_common(*command, *options);
    command->add_option("names", options->names, "Instances to act on (default: all)")
        ->type_name("NAME");
    command->callback(
        [options, &action] { action = [options] { return run_activity_command(*options); }; });
  }

  auto options = std::make_shared<ActivityOptions>();
  auto* command = app.add_subcommand("runactivity",
                                     "Run an activity of the generated scripts on every deployed "
                                     "process (like nixproc-sysvinit-runactivity)");
  add_common(*command, *options);
  command
      ->add_option("activity", options->activity,
                   "start, stop, reload, restart, status or a custom one")
      ->required();
  command->add_option("profile-path", options->profile_path,
                      "A profile other than the current generation");
  command->callback([options, &action] {
    action = [options] {
      // runactivity keeps the original's meaning: only -r reverses.
      ActivityOptions copy = *options;
      if (copy.activity == "stop") copy.reverse = !copy.reverse;
      return run_activity_command(copy);
    };
  });
}

}  // namespace nixproc::cli
