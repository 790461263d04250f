#include "deploy/manifest.h"

#include "util/error.h"
#include "util/fs.h"
#include "util/json_input.h"
#include "util/json_text.h"

namespace nixproc {

static constexpr int kManifestVersion = 1;

const ManifestInstance* Manifest::find(const std::string& key) const {
  for (const auto& instance : instances)
    if (instance.key == key) return &instance;
  return nullptr;
}

DeployedProfile deployed_profile(const Manifest& manifest, const std::string& path) {
  DeployedProfile profile{path, manifest.params, {}};
  profile.instances.reserve(manifest.instances.size());
  for (const auto& instance : manifest.instances) profile.instances.push_back(instance.deployed());
  return profile;
}

std::string Manifest::to_text() const {
  std::string out;
  out.reserve(instances.size() * 1024 + 4096);
  out += "{\n\"nixprocManifest\": " + std::to_string(kManifestVersion) + ",\n\"processManager\": ";
  append_json_string(out, process_manager);
  out += ",\n\"params\": " + params.dump() + ",\n\"instances\": [";
  for (size_t i = 0; i < instances.size(); ++i) {
    const auto& instance = instances[i];
    out += i == 0 ? "\n{\"key\": " : ",\n{\"key\": ";
    append_json_string(out, instance.key);
    out += ", \"name\": ";
    append_json_string(out, instance.name);
    out += ", \"type\": ";
    append_json_string(out, instance.type);
    out += ", \"hash\": ";
    append_json_string(out, instance.hash);
    out += ",\n \"dependencies\": [";
    for (size_t d = 0; d < instance.dependencies.size(); ++d) {
      if (d) out += ", ";
      append_json_string(out, instance.dependencies[d]);
    }
    out += "],\n \"files\": {";
    bool first = true;
    for (const auto& [path, store_path] : instance.files) {
      out += first ? "" : ", ";
      first = false;
      append_json_string(out, path);
      out += ": ";
      append_json_string(out, store_path);
    }
    out += "},\n \"info\": " + instance.info.dump() +
           ",\n \"credentials\": " + instance.credentials.dump() +
           ",\n \"meta\": " + instance.meta.dump() + ",\n \"launch\": " + instance.launch.dump() +
           "}";
  }
  out += "\n]\n}\n";
  return out;
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
      instance.launch = item.value("launch", json::object());
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
  return Manifest::from_json(parse_json_text(fs::read_input_file(file, "the manifest"), file),
                             file);
}

}  // namespace nixproc
