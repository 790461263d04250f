// visualize: the deployment of a processes model as a Graphviz DOT graph, the
// way disnix-visualize draws a Disnix deployment (machine, process managers,
// instances, dependencies).
#include <cstdio>
#include <memory>

#include "backends/backend.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "model/disnix_models.h"
#include "util/error.h"
#include "util/fs.h"
#include "visualize/deployment_graph.h"

namespace nixproc::cli {

namespace {

struct VisualizeOptions {
  CommonOptions common;
  std::string model;
  std::string output_file;
  model::DisnixModelFiles disnix;
};

std::string disnix_dot(const VisualizeOptions& options) {
  if (options.disnix.infrastructure.empty() || options.disnix.distribution.empty())
    throw Error("drawing Disnix models needs all three: -s, -i and -d");
  Session session = open_session(options.common, "none");
  auto models =
      model::load_disnix_models(options.disnix, "requiresUniqueIdsFor",
                                session.installation.nix_dir, options.common.eval_timeout);
  return visualize::render_dot(visualize::deployment_graph(models));
}

std::string model_dot(const VisualizeOptions& options) {
  std::string pm = choose_process_manager(options.common, "sysvinit");
  if (pm != "none") find_backend(pm);  // fail on a typo before evaluating anything
  Session session = open_session(options.common, pm);
  auto loaded = load(session, options.common, choose_model(options.model));
  return visualize::render_dot(visualize::deployment_graph(loaded.model, pm));
}

int run_visualize(const VisualizeOptions& options) {
  std::string dot =
      uses_disnix_models(options.disnix, options.model) ? disnix_dot(options) : model_dot(options);
  if (options.output_file.empty())
    std::fputs(dot.c_str(), stdout);
  else
    fs::write_file_atomic(options.output_file, dot);
  return 0;
}

}  // namespace

void register_visualize(CLI::App& app, Action& action) {
  auto options = std::make_shared<VisualizeOptions>();
  auto* command = app.add_subcommand(
      "visualize",
      "Draw the deployment of a processes model as a Graphviz DOT graph (like "
      "disnix-visualize): the machine, a box per process manager, an ellipse per instance, "
      "an arrow to each instance it depends on. Render it with `dot -Tpng`");
  options->common.add_model_options(*command);
  options->common.add_ids_option(*command);
  options->common.add_dir_options(*command);
  command
      ->add_option("-o,--output-file", options->output_file,
                   "Write the DOT graph to FILE instead of stdout")
      ->type_name("FILE");
  add_disnix_model_options(*command, options->disnix);
  command->add_option("model", options->model,
                      "The processes model (.nix or .json; env NIXPROC_PROCESSES)");
  command->callback([options, &action] { action = [options] { return run_visualize(*options); }; });
}

}  // namespace nixproc::cli
