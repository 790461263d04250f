#include "backends/common/info.h"

namespace nixproc {

std::string stored_file(const DeployedInstance& instance, const std::string& profile_path,
                        const std::string& what) {
  auto file = instance.files.find(profile_path);
  if (file == instance.files.end())
    throw instance_error(instance.key, "the profile has no " + what + " for it");
  return file->second;
}

}  // namespace nixproc
