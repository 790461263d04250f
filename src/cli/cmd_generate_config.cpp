// generate-config: one process-manager-agnostic config (a createManagedProcess
// config as JSON, what `nixproc build -P none` writes per instance) -> the
// files of one backend. This is what Disnix's managed-process type needs:
// Disnix orders the activation itself, so the config's dependencies are not
// needed here.
#include <cstdio>
#include <memory>

#include "backends/backend.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "deploy/build.h"
#include "model/load.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/lock.h"
#include "util/log.h"

namespace nixproc::cli {

namespace {

struct GenerateOptions {
  CommonOptions common;
  std::string config;
};

// Whether the document is a whole agnostic model (instance -> {pkg = ...})
// rather than one process's config.
bool is_model(const json& document) {
  for (const auto& [key, value] : document.items())
    if (value.is_object() && value.contains("pkg")) return true;
  return false;
}

// A one-instance model around a single config.
model::LoadedModel single_process_model(json config, const std::string& path) {
  std::string name;
  for (const char* field : {"name", "instanceName"})
    if (config.contains(field) && config[field].is_string()) {
      name = config[field].get<std::string>();
      break;
    }
  if (name.empty())
    throw Error(path + ": the config has no name or instanceName to call the process by");
  if (auto dependencies = config.find("dependencies");
      dependencies != config.end() && !dependencies->empty()) {
    log::info(path + ": dependencies " + dependencies->dump() +
              " are left out; whoever deploys the result (Disnix) orders the activation");
    config.erase("dependencies");
  }
  model::LoadedModel loaded;
  loaded.evaluated = {{name, {{"pkg", std::move(config)}}}};
  loaded.model = model::parse_model(loaded.evaluated, path, config_types());
  return loaded;
}

int run_generate_config(const GenerateOptions& options) {
  std::string pm = choose_process_manager(options.common, "");
  if (pm.empty())
    throw Error(
        "no process manager was specified (use --process-manager PM or set "
        "NIXPROC_PROCESS_MANAGER)");
  if (pm == "none") throw Error("generate-config makes one backend's files; `none` has none");
  const Backend& backend = find_backend(pm);
  json document =
      parse_json_text(fs::read_input_file(options.config, "config file"), options.config);
  if (!document.is_object())
    throw Error(options.config + ": expected a JSON object (a createManagedProcess config)");

  Session session = open_session(options.common, pm);
  FileLock store_lock(session.store.dir() + "/.lock", true, "garbage collection", true);
  model::LoadedModel loaded = is_model(document)
                                  ? load(session, options.common, options.config)
                                  : single_process_model(std::move(document), options.config);
  session.context.runtime = store_runtime(session.store, session.installation);
  std::string path = build_profile(loaded, backend, session.context, session.store).profile_path;
  std::printf("%s\n", path.c_str());
  return 0;
}

}  // namespace

void register_generate_config(CLI::App& app, Action& action) {
  auto options = std::make_shared<GenerateOptions>();
  auto* command = app.add_subcommand(
      "generate-config",
      "Turn one process-manager-agnostic JSON config into a process manager's files (for "
      "Disnix's managed-process type); prints the result's path, which `nixproc switch` "
      "also deploys");
  options->common.add_model_options(*command);
  options->common.add_ids_option(*command);
  options->common.add_dir_options(*command);
  command
      ->add_option("config", options->config,
                   "The JSON config: a createManagedProcess config, as `nixproc build -P "
                   "none` writes one per instance (a whole agnostic model works too)")
      ->required();
  command->callback(
      [options, &action] { action = [options] { return run_generate_config(*options); }; });
}

}  // namespace nixproc::cli
