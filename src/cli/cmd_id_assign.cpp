// id-assign: unique numeric IDs (ports, UIDs, GIDs, any named pool) for the
// instances of a processes model, or the services of Disnix models, that
// list the pool in requiresUniqueIdsFor. The result is the ids.nix that
// models read back (ids.<pool>.<instance>) and `--ids` passes to them.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "idassign/assign.h"
#include "idassign/consumers.h"
#include "model/load.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace nixproc::cli {

namespace {

struct IdAssignOptions {
  CommonOptions common;
  std::string model;
  std::string id_resources, ids, output_file;
  std::string property = idassign::kDefaultServiceProperty;
  bool output_json = false;
  model::DisnixModelFiles disnix;
};

std::vector<idassign::IdConsumer> read_consumers(const IdAssignOptions& options,
                                                 const Session& session,
                                                 const std::vector<idassign::IdPool>& pools) {
  if (uses_disnix_models(options.disnix, options.model)) {
    auto models =
        model::load_disnix_models(options.disnix, options.property, session.installation.nix_dir,
                                  options.common.eval_timeout);
    return idassign::consumers_of_disnix(models, pools);
  }
  CommonOptions common = options.common;
  common.ids_file.clear();  // the model reads its own ids; these are only the old assignments
  auto loaded = load(session, common, choose_model(options.model));
  return idassign::consumers_of_model(loaded.model, options.property);
}

int run_id_assign(const IdAssignOptions& options) {
  if (!options.output_file.empty() &&
      !fs::is_directory(fs::dirname(fs::absolute_path(options.output_file))))
    throw Error("--output-file: the directory of " + options.output_file + " does not exist");
  std::string pm = choose_process_manager(options.common, "sysvinit");
  Session session = open_session(options.common, pm);
  const std::string& nix_dir = session.installation.nix_dir;
  const int timeout = options.common.eval_timeout;
  auto pools = idassign::parse_id_pools(
      model::load_data_file(options.id_resources, nix_dir, "--id-resources", timeout),
      options.id_resources);
  idassign::IdsConfig previous;
  if (!options.ids.empty())
    previous = idassign::parse_ids_config(
        model::load_data_file(options.ids, nix_dir, "--ids", timeout), options.ids);

  auto result = idassign::assign_ids(pools, read_consumers(options, session, pools), previous);
  for (const std::string& warning : result.warnings) log::warning(warning);

  std::string text = options.output_json ? idassign::ids_config_json(result.config).dump(2) + "\n"
                                         : idassign::ids_config_nix(result.config);
  if (options.output_file.empty()) {
    std::fputs(text.c_str(), stdout);
  } else {
    // Atomic, so a reader (or the --ids input, often the same file) never sees half of it.
    fs::write_file_atomic(options.output_file, text);
  }
  return 0;
}

}  // namespace

void register_id_assign(CLI::App& app, Action& action) {
  auto options = std::make_shared<IdAssignOptions>();
  auto* command = app.add_subcommand(
      "id-assign",
      "Assign unique numeric IDs (ports, UIDs, GIDs, ...) from the pools of an ID resources "
      "file to every instance that lists a pool in requiresUniqueIdsFor; prints ids.nix");
  command->alias("nixproc-id-assign");
  command
      ->add_option("--id-resources", options->id_resources,
                   "The ID pools: { <pool> = { min; max; step ? 1; scope ? \"global\"; }; } "
                   "(.nix or .json)")
      ->type_name("FILE")
      ->required();
  command
      ->add_option("--ids", options->ids,
                   "The current assignments (an earlier output): still valid ones are kept")
      ->type_name("FILE");
  command
      ->add_option("--service-property", options->property,
                   "The attribute listing the pools an instance needs (default "
                   "requiresUniqueIdsFor)")
      ->type_name("NAME");
  command
      ->add_option("-o,--output-file", options->output_file,
                   "Write the assignments here, atomically (default: standard output)")
      ->type_name("FILE");
  command->add_flag("--output-json", options->output_json, "Write JSON instead of Nix");
  add_disnix_model_options(*command, options->disnix);
  options->common.add_model_options(*command);
  options->common.add_dir_options(*command);
  command->add_option("model", options->model,
                      "The processes model (.nix or .json; env NIXPROC_PROCESSES)");
  command->callback([options, &action] { action = [options] { return run_id_assign(*options); }; });
}

}  // namespace nixproc::cli
