#pragma once
// A processes model as the three Disnix models (services, infrastructure,
// distribution), so Disnix can deploy it to the local machine.
#include <string>

#include "model/load.h"
#include "model/model.h"

namespace nixproc::disnix_export {

struct ExportInput {
  std::string model_path;       // absolute; the services model imports it
  model::ModelParams params;    // what nixproc passes the model when it evaluates it
  std::string process_manager;  // the one chosen for managed-process instances, or "none"
  bool depends_on = false;      // dependsOn (inter-dependencies) instead of activatesAfter
  std::string ids_file;         // absolute; --ids: its `ids` become the model's ids parameter
};

struct DisnixModels {
  std::string services;        // services.nix
  std::string infrastructure;  // infrastructure.nix
  std::string distribution;    // distribution.nix
};

// The services model calls the processes model itself (with the parameters
// it declares), so it stays a plain Nix function of Disnix's arguments; one
// service per instance, named after its key, typed by its placement.
DisnixModels disnix_models(const model::Model& model, const ExportInput& input);

}  // namespace nixproc::disnix_export
