#pragma once
// Options and set-up shared by the subcommands.
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "backends/backend.h"
#include "core/context.h"
#include "core/installation.h"
#include "core/state_dirs.h"
#include "model/disnix_models.h"
#include "model/load.h"
#include "model/model.h"
#include "nixstore/nix_store.h"
#include "store/store.h"

namespace nixproc::cli {

struct CommonOptions {
  StateDirOptions dirs;
  std::optional<std::string> home;
  std::string process_manager;  // empty: the default
  std::string extra_params;
  std::string ids_file;   // --ids: assigned IDs passed to the model as `ids`
  std::string nix_store;  // --nix-store: where the model's software is built
  bool show_trace = false;
  int eval_timeout = model::kDefaultEvalTimeout;  // seconds; 0: no limit
  int build_timeout = 0;                          // seconds the builds may take; 0: no limit
  std::string profile = "processes";
  int runlevel = -1;  // -1: detect
  int stop_timeout = 10;
  int jobs = 4;
  bool user_manager = false;    // systemd --user
  std::string docker_command;   // docker: the CLI to use
  bool enable_at_boot = false;  // bsdrc

  // The deploy settings these options ask for (runlevel detected if unset).
  DeployOptions deploy_options() const;

  void add_dir_options(CLI::App& app);
  void add_model_options(CLI::App& app);
  void add_ids_option(CLI::App& app);
  void add_profile_option(CLI::App& app);
  void add_deploy_options(CLI::App& app);
};

// What a command works with once the options are known.
struct Session {
  Home home;
  Installation installation;
  Store store;
  Context context;
  NixStore nix_store;  // where the model's software is built (--nix-store)
};

// Resolves directories and locations; `process_manager` is the backend to
// render for ("none" for the agnostic JSON). Creates nixproc's own dirs.
Session open_session(const CommonOptions& options, const std::string& process_manager);
// The same for a home already resolved and prepared (resolve_home, prepare_home).
Session open_session(const CommonOptions& options, const Home& home,
                     const std::string& process_manager);

// --process-manager, else NIXPROC_PROCESS_MANAGER, else `fallback`.
std::string choose_process_manager(const CommonOptions& options, const std::string& fallback);

// The model path: the argument, else NIXPROC_PROCESSES; error if neither.
std::string choose_model(const std::string& argument);

// What evaluating a model needs: the parameters nixproc passes (state dirs,
// processManager, callingUser/Group, --extra-params) and its locations.
model::EvalInputs eval_inputs(const Session& session, const CommonOptions& options);

// Evaluates (or reads) the model for the session's process manager.
model::LoadedModel load(const Session& session, const CommonOptions& options,
                        const std::string& path);

// -I entries for <nixpkgs> and <nix-processmgmt> unless NIX_PATH names them.
std::vector<std::string> compat_search_path(const Installation& installation);

// Builds and roots the software the model refers to (derivations, copied
// path literals) before anything is deployed; the profile names the roots.
void realise(const Session& session, const CommonOptions& options, model::LoadedModel& loaded);

// -s/-i/-d: Disnix services, infrastructure and distribution models, as an
// alternative to a processes model (id-assign, visualize).
void add_disnix_model_options(CLI::App& app, model::DisnixModelFiles& files);
// Whether Disnix models were given; errors for -i/-d without -s and for -s
// together with a processes model.
bool uses_disnix_models(const model::DisnixModelFiles& files, const std::string& model_argument);

// --runlevel, else the second field of `runlevel` (unknown: 3), else 3.
int detect_runlevel(int option);

}  // namespace nixproc::cli
