#include "cli/common.h"

#include <unistd.h>

#include <cstdlib>
#include <limits>

#include "compat/host_packages.h"
#include "deploy/build.h"
#include "model/load.h"
#include "nixstore/realise.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc::cli {

void CommonOptions::add_dir_options(CLI::App& app) {
  auto dir = [&](const char* name, std::optional<std::string>& target, const char* what) {
    app.add_option(name, target, what)->type_name("DIR")->group("State directories");
  };
  dir("--state-dir", dirs.state_dir,
      "Base of the state directories (default /var; env NIXPROC_STATE_DIR)");
  dir("--runtime-dir", dirs.runtime_dir, "PID files and sockets (default <state-dir>/run)");
  dir("--log-dir", dirs.log_dir, "Log files (default <state-dir>/log)");
  dir("--tmp-dir", dirs.tmp_dir, "Temporary files (default /tmp for /var, else <state-dir>/tmp)");
  dir("--cache-dir", dirs.cache_dir, "Cache files (default <state-dir>/cache)");
  dir("--spool-dir", dirs.spool_dir, "Spool files (default <state-dir>/spool)");
  dir("--lock-dir", dirs.lock_dir, "Lock files (default <state-dir>/lock)");
  dir("--lib-dir", dirs.lib_dir, "Persistent state (default <state-dir>/lib)");
  app.add_flag("--force-disable-user-change", dirs.force_disable_user_change,
               "Never create users or switch to them (unprivileged deployments; env "
               "NIXPROC_FORCE_DISABLE_USER_CHANGE=1)")
      ->envname("NIXPROC_FORCE_DISABLE_USER_CHANGE")
      ->group("State directories");
  app.add_option("--nixproc-home", home,
                 "Where nixproc keeps its store and profiles (env NIXPROC_HOME; default "
                 "/var/lib/nixproc for root, ~/.local/state/nixproc otherwise)")
      ->type_name("DIR");
}

void CommonOptions::add_model_options(CLI::App& app) {
  std::string known;
  for (const Backend* backend : all_backends())
    known += std::string(known.empty() ? "" : ", ") + backend->name;
  app.add_option("-P,--process-manager", process_manager,
                 "Process manager to deploy with: " + known + " (or none for build)")
      ->type_name("PM")
      ->check([](const std::string& name) {
        return name.empty() ? std::string("the process manager name is empty") : std::string();
      });
  app.add_option("--extra-params", extra_params,
                 "More model parameters: a Nix attribute set or a JSON object")
      ->type_name("EXPR");
  app.add_flag("--show-trace", show_trace, "Show Nix's trace on evaluation errors");
  app.add_option("--nix-store", nix_store, kNixStoreHelp)->type_name("STORE");
  app.add_option("--eval-timeout", eval_timeout,
                 "Seconds a Nix evaluation may take before it is stopped; 0 for no limit "
                 "(default " +
                     std::to_string(model::kDefaultEvalTimeout) + ")")
      ->type_name("SECONDS")
      ->envname("NIXPROC_EVAL_TIMEOUT")
      ->check(CLI::Range(0, std::numeric_limits<int>::max()).description(""));
  app.add_option("--build-timeout", build_timeout,
                 "Seconds Nix may take to build the model's software; 0 for no limit (default)")
      ->type_name("SECONDS")
      ->envname("NIXPROC_BUILD_TIMEOUT")
      ->check(CLI::Range(0, std::numeric_limits<int>::max()).description(""));
}

void CommonOptions::add_ids_option(CLI::App& app) {
  app.add_option("--ids", ids_file,
                 "ID assignments (ids.nix or .json from `nixproc id-assign`); their `ids` "
                 "become the model's ids parameter")
      ->type_name("FILE");
}

void CommonOptions::add_profile_option(CLI::App& app) {
  app.add_option("-p,--profile", profile, "Name of the profile (default: processes)")
      ->type_name("NAME");
}

void CommonOptions::add_deploy_options(CLI::App& app) {
  app.add_option("--runlevel", runlevel,
                 "sysvinit runlevel whose S links run (default: detected, else 3)")
      ->check(CLI::Range(0, 6));
  app.add_option("--stop-timeout", stop_timeout,
                 "Seconds a process gets to stop after TERM before KILL (default 10)")
      ->check(CLI::Range(1, 3600));
  app.add_option(
         "-j,--jobs", jobs,
         "Processes started or stopped at the same time, dependencies permitting (default 4)")
      ->check(CLI::Range(1, 256));
  app.add_flag("--user", user_manager,
               "systemd: deploy user units with `systemctl --user` (default when not root)")
      ->group("Process manager specific");
  app.add_option("--docker-command", docker_command,
                 "docker: the docker-compatible CLI to run, e.g. podman (default: "
                 "NIXPROC_DOCKER_COMMAND, else docker)")
      ->type_name("CMD")
      ->group("Process manager specific");
  app.add_flag("--enable-at-boot", enable_at_boot,
               "bsdrc: also enable the scripts in rc.conf so they start at boot")
      ->group("Process manager specific");
}

DeployOptions CommonOptions::deploy_options() const {
  DeployOptions options;
  options.runlevel = detect_runlevel(runlevel);
  options.stop_timeout = stop_timeout;
  options.user_manager = user_manager;
  options.docker_command = docker_command;
  options.enable_at_boot = enable_at_boot;
  return options;
}

std::string choose_process_manager(const CommonOptions& options, const std::string& fallback) {
  if (!options.process_manager.empty()) return options.process_manager;
  if (const char* variable = std::getenv("NIXPROC_PROCESS_MANAGER"); variable && *variable)
    return variable;
  return fallback;
}

std::string choose_model(const std::string& argument) {
  if (!argument.empty()) return argument;
  if (const char* variable = std::getenv("NIXPROC_PROCESSES"); variable && *variable)
    return variable;
  throw Error("no processes model given (pass a .nix or .json file, or set NIXPROC_PROCESSES)");
}

Session open_session(const CommonOptions& options, const std::string& process_manager) {
  Home home = resolve_home(options.home);
  prepare_home(home);
  return open_session(options, home, process_manager);
}

Session open_session(const CommonOptions& options, const Home& home,
                     const std::string& process_manager) {
  Session session{home, locate_installation(), Store(home.store), {}, {}};
  session.context.dirs = resolve_state_dirs(options.dirs);
  session.context.process_manager = process_manager;
  session.context.privileged = ::geteuid() == 0;
  session.context.calling_user = current_user_name();
  session.context.calling_group = current_group_name();
  session.context.installation = session.installation;
  session.nix_store = choose_nix_store(options.nix_store, home);
  return session;
}

model::EvalInputs eval_inputs(const Session& session, const CommonOptions& options) {
  model::EvalInputs inputs;
  inputs.config_types = config_types();
  inputs.params = session.context.dirs.to_params();
  inputs.params["processManager"] = session.context.process_manager == "none"
                                        ? nlohmann::json(nullptr)
                                        : nlohmann::json(session.context.process_manager);
  inputs.params["callingUser"] = session.context.calling_user;
  inputs.params["callingGroup"] = session.context.calling_group;
  inputs.extra_params = options.extra_params;
  inputs.ids_file = options.ids_file;
  inputs.nix_dir = session.installation.nix_dir;
  inputs.store_dir = session.store.dir();
  inputs.libexec_dir = session.installation.libexec_dir;
  inputs.nix_options = nix_store_options(session.nix_store);
  inputs.search_path = compat_search_path(session.installation);
  inputs.show_trace = options.show_trace;
  inputs.eval_timeout = options.eval_timeout;
  return inputs;
}

// Whether NIX_PATH already names `entry` (nixpkgs=...), so ours stays out of its way.
static bool nix_path_has(const std::string& entry) {
  const char* nix_path = std::getenv("NIX_PATH");
  if (!nix_path) return false;
  std::string text = std::string(":") + nix_path;
  return text.find(":" + entry + "=") != std::string::npos;
}

// Models written for the original framework import <nixpkgs> and the
// original's paths; without a nixpkgs of the user's, ours stand in.
std::vector<std::string> compat_search_path(const Installation& installation) {
  std::vector<std::string> entries;
  if (!nix_path_has("nixpkgs")) entries.push_back("nixpkgs=" + compat::nixpkgs_dir(installation));
  if (!nix_path_has("nix-processmgmt"))
    entries.push_back("nix-processmgmt=" + installation.nix_dir + "/compat/nix-processmgmt");
  return entries;
}

void realise(const Session& session, const CommonOptions& options, model::LoadedModel& loaded) {
  RealisedSoftware software = realise_software(session.nix_store, loaded.nix_needs,
                                               session.home.nix_roots, options.build_timeout);
  if (!software.roots.empty()) loaded.nix_roots_text = nix_roots_file_text(software);
}

model::LoadedModel load(const Session& session, const CommonOptions& options,
                        const std::string& path) {
  model::EvalInputs inputs = eval_inputs(session, options);
  // The compatibility set's pkgs.<attr> are the host's packages, listed in a
  // file made from dpkg's database (again only when that changed).
  bool compat_nixpkgs = !nix_path_has("nixpkgs") && !model::is_json_model(path);
  if (compat_nixpkgs)
    if (std::string file = compat::ensure_host_packages(session.home, session.installation);
        !file.empty())
      inputs.environment.push_back(std::string(compat::kHostPackagesVariable) + "=" + file);
  try {
    return model::load_model(path, inputs);
  } catch (const Error& error) {
    std::string hint =
        compat_nixpkgs ? compat::missing_package_hint(error.what(), session.home) : "";
    if (hint.empty()) throw;
    throw Error(std::string(error.what()) + "\n" + hint, error.exit_code);
  }
}

void add_disnix_model_options(CLI::App& app, model::DisnixModelFiles& files) {
  const char* group = "Disnix models (instead of a processes model)";
  app.add_option("-s,--services", files.services, "A Disnix services model")
      ->type_name("FILE")
      ->group(group);
  app.add_option("-i,--infrastructure", files.infrastructure,
                 "The Disnix infrastructure model (the target machines)")
      ->type_name("FILE")
      ->group(group);
  app.add_option("-d,--distribution", files.distribution,
                 "The Disnix distribution model (which services run on which machines)")
      ->type_name("FILE")
      ->group(group);
}

bool uses_disnix_models(const model::DisnixModelFiles& files, const std::string& model_argument) {
  if (files.services.empty()) {
    if (!files.infrastructure.empty() || !files.distribution.empty())
      throw Error("-i and -d go with a Disnix services model (-s)");
    return false;
  }
  if (!model_argument.empty())
    throw Error("give either a processes model or Disnix models (-s), not both");
  return true;
}

int detect_runlevel(int option) {
  if (option >= 0) return option;
  if (find_executable("runlevel").empty()) return 3;
  RunResult result = run({"runlevel"}, capturing());
  auto space = result.out.find(' ');
  if (result.ok() && space != std::string::npos && space + 1 < result.out.size()) {
    char level = result.out[space + 1];
    if (level >= '0' && level <= '6') return level - '0';
  }
  return 3;
}

}  // namespace nixproc::cli
