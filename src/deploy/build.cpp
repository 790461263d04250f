#include "deploy/build.h"
#include "deploy/post_install.h"

#include <sys/stat.h>

#include <iterator>

#include "core/process_rules.h"
#include "deploy/credentials.h"
#include "deploy/preflight.h"
#include "model/managed_process.h"
#include "nixstore/realise.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/names.h"
#include "util/quote.h"
#include "util/timer.h"

namespace nixproc {

// The runtime is the same for every build of one nixproc installation;
// reading and hashing its programs each time cost more than rendering a small
// model, so the result is remembered per (path, size, mtime) of its sources.
static std::string runtime_cache_key(const std::vector<std::string>& sources) {
  std::string key;
  for (const auto& source : sources) {
    struct stat st;
    if (::stat(source.c_str(), &st) != 0) return "";
    key += source + " " + std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) +
           "." + std::to_string(st.st_mtim.tv_nsec) + "\n";
  }
  return sha256_hex(key);
}

std::string store_runtime(Store& store, const Installation& installation) {
  const char* tools[] = {"nixproc-daemon", "nixproc-pidof", "nixproc-chainload-user",
                         "nixproc-foreground-proxy", "nixproc-kill"};
  std::vector<std::string> sources;
  for (const char* tool : tools) sources.push_back(installation.libexec_dir + "/" + tool);
  sources.push_back(installation.share_dir + "/init-functions");
  for (const auto& source : sources)
    if (!fs::exists(source))
      throw Error("nixproc's runtime file " + source + " is missing; reinstall nixproc");

  std::string cache = store.physical(store.dir() + "/.runtime-" + runtime_cache_key(sources));
  if (fs::is_symlink(cache)) {
    std::string cached = fs::read_link(cache);
    if (fs::is_directory(store.physical(cached))) return cached;
  }
  std::vector<TreeEntry> entries;
  const size_t tool_count = std::size(tools);  // sources: the tools, then init-functions
  for (size_t i = 0; i < tool_count; ++i)
    entries.push_back(
        {std::string("bin/") + tools[i], TreeEntry::Executable, fs::read_file(sources[i])});
  entries.push_back({"share/init-functions", TreeEntry::File, fs::read_file(sources[tool_count])});
  std::string path = store.add_tree("nixproc-runtime", std::move(entries));
  fs::replace_symlink(path, cache);
  return path;
}

void store_generated_files(const model::LoadedModel& loaded, Store& store) {
  for (const auto& file : loaded.files) {
    std::string what = "the model generated a file (writeTextFile) at " + quote(file.path, 200);
    if (!Store::is_valid_name(file.name))
      throw Error(what + " with the invalid name " + quote(file.name) +
                  " (use letters, digits and +._?=-)");
    std::string expected = store.file_path(file.name, file.text, file.executable);
    if (file.path.rfind(store.dir() + "/", 0) != 0)
      throw Error(what + ", outside nixproc's store " + quote(store.dir(), 200) +
                  "; was it evaluated for another NIXPROC_STORE_DIR?");
    if (expected != file.path)
      throw Error(what + ", which does not match its name and content (this store keeps it at " +
                  expected + ")");
    store.add_file(file.name, file.text, file.executable);
  }
}

// An override tunes how the process manager runs an instance; who the
// instance is (its name, which names files and PID files) and what it
// depends on (the order everything else is deployed in) stay the model's.
static void check_override(const json& translated, const json& merged, const std::string& where) {
  for (const char* field : {"type", "name", "dependencies"})
    if (translated.value(field, json()) != merged.value(field, json()))
      throw Error(where + "." + field + ": an override cannot change the instance's " + field +
                  "; set it in the process config itself");
  if (auto instance_name = merged.find("instanceName"); instance_name != merged.end())
    if (auto reason = instance_name->is_string()
                          ? invalid_name_reason(instance_name->get<std::string>())
                          : std::string("expected a string");
        !reason.empty())
      throw Error(where + ".instanceName: " + reason);
}

static json pm_config(const model::Instance& instance, const Backend& backend,
                      const Context& context) {
  if (instance.type == model::kManagedProcess) {
    // Checked once, when the model was parsed.
    const model::ManagedProcess& process = *instance.process;
    json config = backend.translate(process, context);
    if (auto override_value = process.overrides.find(backend.name);
        override_value != process.overrides.end()) {
      const std::string where = instance_label(instance.key) + ": field overrides." + backend.name;
      json translated = config;
      config.merge_patch(backend.adapt_override ? backend.adapt_override(*override_value, where)
                                                : *override_value);
      check_override(translated, config, where);
    }
    return config;
  }
  if (backend.native_type && instance.type == backend.native_type) return instance.pkg;
  throw instance_error(
      instance.key,
      "a " + instance.type + " config cannot be deployed with process manager " + backend.name +
          " (use createManagedProcess for configs that work with every process manager)");
}

// Two instances with one PID file would take each other for running and
// stop each other: the explicit pidFile, else the one instanceName implies.
static void claim_pid_file(std::map<std::string, std::string>& claimed, const json& config,
                           const std::string& key, const StateDirs& dirs) {
  auto text = [&](const char* field) -> std::optional<std::string> {
    auto it = config.find(field);
    if (it == config.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  auto pid_file = auto_pid_file(text("pidFile"), text("instanceName"), text("user"), dirs);
  if (!pid_file) return;
  auto [owner, inserted] = claimed.emplace(*pid_file, key);
  if (!inserted)
    throw Error("instances " + owner->second + " and " + key + " both use the PID file " +
                quote(*pid_file) + "; give each its own pidFile or instanceName");
}

// The files postInstall adds to the instance's package, beside the ones the
// backend rendered (which they may not replace).
static void add_post_install_files(RenderedInstance& rendered, const std::string& script,
                                   const Store& store, const std::string& where) {
  for (auto& file : run_post_install(script, store.physical(store.dir() + "/.work"), where)) {
    for (const auto& existing : rendered.files)
      if (existing.path == file.path)
        throw Error(where + ": postInstall made " + file.path +
                    ", a file the process manager's config already has");
    if (!Store::is_valid_name(fs::basename(file.path)))
      throw Error(where + ": postInstall made " + quote(file.path) +
                  ", whose name is not a valid store name (use letters, digits and +._?=-)");
    rendered.files.push_back(std::move(file));
  }
}

// Everything that makes the instance what it is: a different file (another
// store path) or link means a different process, to be restarted.
static std::string instance_hash(const ManifestInstance& instance,
                                 const std::vector<RenderedLink>& links) {
  Sha256 hash;
  hash.update(instance.type + "\n" + instance.name + "\n");
  for (const auto& [path, store_path] : instance.files)
    hash.update("f " + path + " " + store_path + "\n");
  for (const auto& link : links) hash.update("l " + link.path + " " + link.target + "\n");
  return hash.hex().substr(0, 32);
}

BuildOutput build_profile(const model::LoadedModel& loaded, const Backend& backend,
                          const Context& context, Store& store) {
  store_generated_files(loaded, store);
  const model::Model& model = loaded.model;
  std::vector<size_t> order = model::start_order(model);
  std::vector<json> infos(model.instances.size());
  std::map<std::string, std::string> pid_files;  // PID file -> instance key

  BuildOutput output;
  output.manifest.process_manager = backend.name;
  output.manifest.params = context.dirs.to_params();
  std::vector<TreeEntry> entries;
  entries.reserve(order.size() * 9 + 1);
  std::optional<PhaseTimer> timer;
  timer.emplace("translate, render and store " + std::to_string(order.size()) + " instances");
  for (size_t index : order) {
    const model::Instance& instance = model.instances[index];
    json config = pm_config(instance, backend, context);
    std::map<std::string, const json*> dependency_info;
    for (const auto& key : instance.dependencies)
      dependency_info[key] = &infos[model.by_key.at(key)];
    // postInstall is the package's, not the process manager's: taken out of
    // a native config before it is rendered, run after.
    std::string post_install;
    if (instance.type == model::kManagedProcess) {
      post_install = instance.process->post_install;
    } else if (auto it = config.find("postInstall"); it != config.end()) {
      if (!it->is_string() && !it->is_null())
        throw instance_error(instance.key, "field postInstall: expected a string");
      if (it->is_string()) post_install = it->get<std::string>();
      config.erase(it);
    }
    RenderedInstance rendered = backend.render({instance, config, context, dependency_info, store});
    if (!post_install.empty())
      add_post_install_files(rendered, post_install, store, instance_label(instance.key));
    json launch = launch_needs(config, instance_label(instance.key) + " (" + backend.name + ")");
    claim_pid_file(pid_files, config, instance.key, context.dirs);

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
    entry.launch = std::move(launch);
    infos[index] = rendered.info;
    entry.info = std::move(rendered.info);
    output.manifest.instances.push_back(std::move(entry));
  }
  check_accounts_agree(output.manifest);
  std::vector<const json*> instance_infos;
  for (const auto& instance : output.manifest.instances) instance_infos.push_back(&instance.info);
  if (backend.profile_files)
    for (auto& file : backend.profile_files(context, instance_infos))
      entries.push_back({file.path, TreeEntry::File, std::move(file.content)});
  if (!loaded.nix_roots_text.empty())
    entries.push_back({kNixRootsFile, TreeEntry::File, loaded.nix_roots_text});
  timer.emplace("write the manifest");
  entries.push_back({kManifestFile, TreeEntry::File, output.manifest.to_text()});
  timer.emplace("store the profile");
  output.profile_path = store.add_tree(std::string("nixproc-") + backend.name, std::move(entries));
  fs::sync_filesystem(store.physical(store.dir()));
  return output;
}

std::string build_agnostic(const model::LoadedModel& loaded, Store& store) {
  store_generated_files(loaded, store);
  std::vector<TreeEntry> entries = {
      {"processes.json", TreeEntry::File, loaded.evaluated.dump(2) + "\n"}};
  if (!loaded.nix_roots_text.empty())
    entries.push_back({kNixRootsFile, TreeEntry::File, loaded.nix_roots_text});
  for (const auto& instance : loaded.model.instances)
    entries.push_back({instance.name + ".json", TreeEntry::File, instance.pkg.dump(2) + "\n"});
  std::string path = store.add_tree("nixproc-agnostic", std::move(entries));
  fs::sync_filesystem(store.physical(store.dir()));
  return path;
}

}  // namespace nixproc
