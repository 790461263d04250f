#include "deploy/build.h"

#include "deploy/credentials.h"
#include "model/managed_process.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"

namespace nixproc {

std::string store_runtime(Store& store, const Installation& installation) {
  std::vector<TreeEntry> entries;
  for (const char* tool : {"nixproc-daemon", "nixproc-pidof", "nixproc-chainload-user"}) {
    std::string path = installation.libexec_dir + "/" + tool;
    if (!fs::exists(path))
      throw Error("nixproc's helper program " + path + " is missing; reinstall nixproc");
    entries.push_back({std::string("bin/") + tool, TreeEntry::Executable, fs::read_file(path)});
  }
  entries.push_back({"share/init-functions", TreeEntry::File,
                     fs::read_file(installation.share_dir + "/init-functions")});
  return store.add_tree("nixproc-runtime", std::move(entries));
}

void store_generated_files(const model::LoadedModel& loaded, Store& store) {
  for (const auto& file : loaded.files) {
    std::string expected = store.file_path(file.name, file.text, file.executable);
    if (expected != file.path)
      throw Error("the model generated " + file.path +
                  ", which is not where this store keeps it (" + expected +
                  "); was it evaluated for another NIXPROC_STORE_DIR?");
    store.add_file(file.name, file.text, file.executable);
  }
}

static json pm_config(const model::Instance& instance, const Backend& backend,
                      const Context& context) {
  if (instance.type == model::kManagedProcess) {
    model::ManagedProcess process = model::parse_managed_process(instance);
    json config = backend.translate(process, context);
    if (process.overrides.contains(backend.name))
      config.merge_patch(process.overrides[backend.name]);
    return config;
  }
  if (backend.native_type && instance.type == backend.native_type) return instance.pkg;
  throw Error("instance " + instance.key + ": a " + instance.type +
              " config cannot be deployed with process manager " + backend.name +
              " (use createManagedProcess for configs that work with every process manager)");
}

static std::string instance_hash(const ManifestInstance& instance,
                                 const std::vector<RenderedLink>& links) {
  json identity = {{"type", instance.type}, {"name", instance.name}, {"files", instance.files}};
  json link_list = json::array();
  for (const auto& link : links) link_list.push_back({link.path, link.target});
  identity["links"] = link_list;
  return sha256_hex(identity.dump()).substr(0, 32);
}

BuildOutput build_profile(const model::LoadedModel& loaded, const Backend& backend,
                          const Context& context, Store& store) {
  store_generated_files(loaded, store);
  const model::Model& model = loaded.model;
  std::vector<size_t> order = model::start_order(model);
  std::vector<json> infos(model.instances.size());

  BuildOutput output;
  output.manifest.process_manager = backend.name;
  output.manifest.params = context.dirs.to_params();
  std::vector<TreeEntry> entries;
  for (size_t index : order) {
    const model::Instance& instance = model.instances[index];
    json config = pm_config(instance, backend, context);
    std::map<std::string, const json*> dependency_info;
    for (const auto& key : instance.dependencies)
      dependency_info[key] = &infos[model.by_key.at(key)];
    RenderedInstance rendered = backend.render({instance, config, context, dependency_info, store});

    ManifestInstance entry;
    entry.key = instance.key;
    entry.name = instance.name;
    entry.type = instance.type;
    entry.dependencies = instance.dependencies;
    entry.meta = instance.meta;
    entry.credentials =
        effective_credentials(config.value("credentials", json::object()), context.dirs);
    for (const auto& file : rendered.files) {
      std::string path = store.add_file(fs::basename(file.path), file.content, file.executable);
      entry.files[file.path] = path;
      entries.push_back({file.path, TreeEntry::Symlink, path});
    }
    for (const auto& link : rendered.links)
      entries.push_back({link.path, TreeEntry::Symlink, link.target});
    entry.hash = instance_hash(entry, rendered.links);
    entry.info = rendered.info;
    infos[index] = rendered.info;
    output.manifest.instances.push_back(std::move(entry));
  }
  check_accounts_agree(output.manifest);
  entries.push_back({kManifestFile, TreeEntry::File, output.manifest.to_json().dump(1) + "\n"});
  output.profile_path = store.add_tree(std::string("nixproc-") + backend.name, std::move(entries));
  fs::sync_filesystem(store.dir());
  return output;
}

std::string build_agnostic(const model::LoadedModel& loaded, Store& store) {
  store_generated_files(loaded, store);
  std::vector<TreeEntry> entries = {
      {"processes.json", TreeEntry::File, loaded.evaluated.dump(2) + "\n"}};
  for (const auto& instance : loaded.model.instances)
    entries.push_back({instance.name + ".json", TreeEntry::File, instance.pkg.dump(2) + "\n"});
  std::string path = store.add_tree("nixproc-agnostic", std::move(entries));
  fs::sync_filesystem(store.dir());
  return path;
}

}  // namespace nixproc
