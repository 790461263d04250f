// disnix-export: a processes model -> Disnix's services, infrastructure and
// distribution models, so Disnix (disnix-env) can deploy it to this machine.
#include <cstdio>
#include <memory>

#include "backends/backend.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "deploy/build.h"
#include "export/disnix_models.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/lock.h"

namespace nixproc::cli {

namespace {

struct DisnixExportOptions {
  CommonOptions common;
  std::string model;
  std::string output_dir = ".";
  bool force = false;
  bool depends_on = false;
};

int run_disnix_export(const DisnixExportOptions& options) {
  std::string pm = choose_process_manager(options.common, "sysvinit");
  if (pm != "none") find_backend(pm);  // fail on a typo before evaluating anything
  std::string model_path = fs::absolute_path(choose_model(options.model));
  std::string dir = fs::absolute_path(options.output_dir);
  if (fs::exists(dir) && !fs::is_directory(dir))
    throw Error("--output-dir " + dir + " is not a directory");
  const std::string names[] = {"services.nix", "infrastructure.nix", "distribution.nix"};
  if (!options.force)
    for (const auto& name : names)
      if (fs::lexists(dir + "/" + name))
        throw Error(dir + "/" + name + " exists; pass --force to overwrite it");

  // Evaluate and validate first: a broken model writes nothing.
  Session session = open_session(options.common, pm);
  FileLock store_lock(session.store.dir() + "/.lock", true, "garbage collection", true);
  model::EvalInputs inputs = eval_inputs(session, options.common);
  model::LoadedModel loaded = model::load_model(model_path, inputs);
  disnix_export::DisnixModels models = disnix_export::disnix_models(
      loaded.model,
      {model_path, model::model_params(inputs), pm, options.depends_on,
       options.common.ids_file.empty() ? "" : fs::absolute_path(options.common.ids_file)});
  // The files the model generates (an nginx.conf) must exist where its pkg
  // values point when Disnix deploys them.
  store_generated_files(loaded, session.store);

  fs::make_directories(dir);
  const std::string* texts[] = {&models.services, &models.infrastructure, &models.distribution};
  for (size_t i = 0; i < 3; ++i) {
    fs::write_file_atomic(dir + "/" + names[i], *texts[i]);
    std::printf("%s/%s\n", dir.c_str(), names[i].c_str());
  }
  return 0;
}

}  // namespace

void register_disnix_export(CLI::App& app, Action& action) {
  auto options = std::make_shared<DisnixExportOptions>();
  auto* command = app.add_subcommand(
      "disnix-export",
      "Write a processes model as Disnix models: services.nix (one service per instance, "
      "typed for the process manager), infrastructure.nix (localhost) and distribution.nix "
      "(everything on localhost). Evaluating them needs -I nixproc=$(nixproc data-dir)");
  options->common.add_model_options(*command);
  options->common.add_ids_option(*command);
  options->common.add_dir_options(*command);
  command
      ->add_option("--output-dir", options->output_dir,
                   "Where to write the three files (default: the current directory)")
      ->type_name("DIR");
  command->add_flag("--force", options->force, "Overwrite files that exist");
  command->add_flag("--depends-on", options->depends_on,
                    "Write dependencies as dependsOn (inter-dependencies; pkg becomes a "
                    "function of them) instead of activatesAfter (activation order only)");
  command->add_option("model", options->model,
                      "The processes model (.nix or .json; env NIXPROC_PROCESSES)");
  command->callback(
      [options, &action] { action = [options] { return run_disnix_export(*options); }; });
}

}  // namespace nixproc::cli
