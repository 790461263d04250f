#include "backends/placement.h"

#include "backends/backend.h"
#include "util/error.h"

namespace nixproc {

std::string dysnomia_type(const std::string& process_manager) {
  if (process_manager == "none") return model::kManagedProcess;
  return find_backend(process_manager).native_type;
}

Placement place_instance(const model::Instance& instance, const std::string& process_manager) {
  if (instance.type == model::kManagedProcess)
    return {process_manager, dysnomia_type(process_manager)};
  for (const Backend* backend : all_backends())
    if (instance.type == backend->native_type) return {backend->name, instance.type};
  throw instance_error(instance.key,
                       "no process manager deploys configs of type \"" + instance.type + "\"");
}

}  // namespace nixproc
