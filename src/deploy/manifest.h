#pragma once
// The manifest of a profile generation: which instances it holds, in start
// order, with their files in the store. Deploy reads nothing else.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/backend.h"

namespace nixproc {

struct ManifestInstance {
  std::string key, name, type;
  std::string hash;                       // changes whenever anything of the instance changes
  std::vector<std::string> dependencies;  // instance keys
  std::map<std::string, std::string> files;
  json info = json::object();
  json credentials = json::object();
  json meta = json::object();
  json launch = json::object();  // what starting it needs (deploy/preflight.h); {} in old manifests

  DeployedInstance deployed() const { return {key, name, files, info}; }
};

struct Manifest {
  std::string process_manager;
  json params = json::object();             // the state directories it was built for
  std::vector<ManifestInstance> instances;  // start order

  const ManifestInstance* find(const std::string& key) const;
  // The JSON document, written directly as text: building a JSON tree first
  // dominated the build time of large models.
  std::string to_text() const;
  static Manifest from_json(const json& document, const std::string& origin);
};

inline constexpr const char* kManifestFile = "manifest.json";

// What backends see of the profile at `path` with manifest `manifest`.
DeployedProfile deployed_profile(const Manifest& manifest, const std::string& path);

// Reads <profile>/manifest.json; throws if `profile_path` is no nixproc profile.
Manifest read_manifest(const std::string& profile_path);
bool is_profile(const std::string& path);

}  // namespace nixproc
