#pragma once
// From a loaded model to a profile in the store: translate, render and store
// every instance, then store the profile tree with its manifest.
#include <string>

#include "backends/backend.h"
#include "deploy/manifest.h"
#include "model/model.h"
#include "store/store.h"

namespace nixproc {

struct BuildOutput {
  std::string profile_path;
  Manifest manifest;
};

// Copies nixproc's runtime (the helper programs and init-functions that
// generated files call) into the store, so a profile never depends on where
// nixproc happens to be installed. Returns its store path.
std::string store_runtime(Store& store, const Installation& installation);

// `context.runtime` must be set (store_runtime). Nothing outside the store is
// touched; errors name the instance and field.
BuildOutput build_profile(const model::LoadedModel& loaded, const Backend& backend,
                          const Context& context, Store& store);

// The process-manager-agnostic JSON of a model: processes.json (the whole
// evaluated model) and <name>.json per instance (its process config).
std::string build_agnostic(const model::LoadedModel& loaded, Store& store);

// Writes the files a Nix model generated (writeTextFile) into the store.
void store_generated_files(const model::LoadedModel& loaded, Store& store);

}  // namespace nixproc
