#include "deploy/manifest.h"

#include "model/load.h"
#include "util/error.h"
#include "util/fs.h"

namespace nixproc {

static constexpr int kManifestVersion = 1;

const ManifestInstance* Manifest::find(const std::string& key) const {
  for (const auto& instance : instances)
    if (instance.key == key) return &instance;
  return nullptr;
}

json Manifest::to_json() const {
  json list = json::array();
  for (const auto& instance : instances)
    list.push_back({{"key", instance.key},
                    {"name", instance.name},
                    {"type", instance.type},
                    {"hash", instance.hash},
                    {"dependencies", instance.dependencies},
                    {"files", instance.files},
                    {"info", instance.info},
                    {"credentials", instance.credentials},
                    {"meta", instance.meta}});
  return {{"nixprocManifest", kManifestVersion},
          {"processManager", process_manager},
          {"params", params},
          {"instances", list}};
}

Manifest Manifest::from_json(const json& document, const std::string& origin) {
  if (!document.is_object() || document.value("nixprocManifest", 0) != kManifestVersion)
    throw Error(origin + " is not a nixproc profile manifest (version " +
                std::to_string(kManifestVersion) + ")");
  try {
    Manifest manifest;
    manifest.process_manager = document.at("processManager");
    manifest.params = document.at("params");
    for (const auto& item : document.at("instances")) {
      ManifestInstance instance;
      instance.key = item.at("key");
      instance.name = item.at("name");
      instance.type = item.at("type");
      instance.hash = item.at("hash");
      instance.dependencies = item.at("dependencies").get<std::vector<std::string>>();
      instance.files = item.at("files").get<std::map<std::string, std::string>>();
      instance.info = item.at("info");
      instance.credentials = item.value("credentials", json::object());
      instance.meta = item.value("meta", json::object());
      manifest.instances.push_back(std::move(instance));
    }
    return manifest;
  } catch (const json::exception& error) {
    throw Error(origin + ": damaged manifest: " + error.what());
  }
}

bool is_profile(const std::string& path) {
  return fs::is_directory(path) && fs::exists(path + "/" + kManifestFile);
}

Manifest read_manifest(const std::string& profile_path) {
  std::string file = profile_path + "/" + kManifestFile;
  if (!fs::exists(file))
    throw Error(profile_path + " is not a nixproc profile (no " + kManifestFile + ")");
  return Manifest::from_json(model::parse_json_text(fs::read_file(file), file), file);
}

}  // namespace nixproc
