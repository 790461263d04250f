// `nixproc image`: builds a processes model's profile for the image's own
// state directories and store, and writes one self-contained image archive
// with it, the process manager and every host file they need.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <set>

#include "backends/supervisord/layout.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "deploy/build.h"
#include "deploy/preflight.h"
#include "image/accounts.h"
#include "image/container_init.h"
#include "image/host_closure.h"
#include "image/image.h"
#include "model/load.h"
#include "nixstore/nix_store.h"
#include "nixstore/realise.h"
#include "store/profile.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/quote.h"
#include "util/subprocess.h"

namespace nixproc::cli {

namespace {

struct ImageCommandOptions {
  CommonOptions common;
  std::string model;
  std::string name, tag = "latest", output;
  bool no_interactive = false;
  bool mutable_image = false, no_bootstrap = false, nix_only = false;
  std::string id_resources;
  image::ImageOptions image;
};

// A mutable image's model: the model's directory (the files it imports sit
// beside it) as /etc/nixproc, plus the ID files. Kept small on purpose.
void add_model_dir(image::Layer& layer, const std::string& model,
                   const ImageCommandOptions& options) {
  std::string dir = fs::dirname(fs::absolute_path(model));
  std::vector<image::ImageFile> files;
  image::add_tree(files, dir, image::kImageModelDir);
  size_t bytes = 0;
  for (auto& file : files) {
    if (file.kind == image::ImageFile::File) {
      struct stat info;
      if (::stat(file.source.c_str(), &info) == 0) bytes += info.st_size;
      file.mode = (file.mode & 0111) ? 0755 : 0644;
    }
    if (file.kind == image::ImageFile::Directory) file.mode = 0755;
  }
  if (files.size() > 2000 || bytes > 64 * 1024 * 1024)
    throw Error("--mutable copies the model's directory " + dir + " into " + image::kImageModelDir +
                ", and it holds " + std::to_string(files.size()) + " entries (" +
                std::to_string(bytes / 1024 / 1024) +
                " MB): put the model and the files it imports in a directory of their own");
  for (const auto* extra : {&options.id_resources, &options.common.ids_file})
    if (!extra->empty())
      files.push_back({std::string(image::kImageModelDir).substr(1) + "/" + fs::basename(*extra),
                       image::ImageFile::File, 0644, 0, 0, fs::absolute_path(*extra), ""});
  for (auto& file : files) layer.files.push_back(std::move(file));
}

// The Nix database entries of `paths`, for the image's own Nix to load.
std::string nix_registration(const Session& session, const std::vector<std::string>& paths) {
  std::vector<std::string> argv = {"nix-store"};
  for (auto& option : nix_store_options(session.nix_store)) argv.push_back(option);
  argv.push_back("--dump-db");
  argv.insert(argv.end(), paths.begin(), paths.end());
  RunResult result = run(argv, capturing());
  if (!result.ok())
    throw Error("cannot dump the Nix registration of the image's store paths: nix-store " +
                result.describe() + ": " + result.err);
  return result.out;
}

// nixproc's own programs, host path -> image path.
struct NixprocFile {
  std::string host, image;
};

const char* const kTools[] = {"nixproc-daemon",           "nixproc-pidof", "nixproc-chainload-user",
                              "nixproc-foreground-proxy", "nixproc-kill",  "webapp"};

std::vector<NixprocFile> nixproc_programs(const Installation& host) {
  std::vector<NixprocFile> files = {
      {fs::real_path("/proc/self/exe"), std::string(image::kImagePrefix) + "/bin/nixproc"}};
  for (const char* tool : kTools)
    if (fs::exists(host.libexec_dir + "/" + tool))
      files.push_back(
          {host.libexec_dir + "/" + tool, std::string(image::kImageLibexec) + "/" + tool});
  return files;
}

// The installed layout inside the image: the binary, its command aliases,
// the helpers, the Nix library, init-functions and the examples.
void add_nixproc(image::Layer& layer, const Installation& host) {
  std::string prefix = image::kImagePrefix;
  for (const auto& program : nixproc_programs(host))
    layer.files.push_back(
        {program.image.substr(1), image::ImageFile::File, 0755, 0, 0, program.host, ""});
  for (const auto& name : fs::list_directory(fs::dirname(fs::real_path("/proc/self/exe"))))
    if (name.rfind("nixproc-", 0) == 0 &&
        fs::is_symlink(fs::dirname(fs::real_path("/proc/self/exe")) + "/" + name))
      layer.files.push_back({(prefix + "/bin/" + name).substr(1), image::ImageFile::Symlink, 0777,
                             0, 0, "", "nixproc"});
  image::add_tree(layer.files, host.nix_dir, prefix + "/share/nixproc/nix");
  image::add_tree(layer.files, host.share_dir + "/init-functions",
                  prefix + "/share/nixproc/share/init-functions");
  if (fs::is_directory(host.examples_dir))
    image::add_tree(layer.files, host.examples_dir, prefix + "/share/nixproc/examples");
}

// The executable an instance runs, on this host: nixproc's helpers are the
// installation's, a bare name is looked up on the instance's path.
std::string host_executable(const ManifestInstance& instance, const Installation& host) {
  std::string process = instance.launch.value("process", "");
  if (process.empty()) return "";
  std::string libexec = std::string(image::kImageLibexec) + "/";
  if (process.rfind(libexec, 0) == 0)
    return host.libexec_dir + "/" + process.substr(libexec.size());
  // A script the model generated: it is in the image's store already.
  if (process.rfind(std::string(image::kImageStore) + "/", 0) == 0) return "";
  if (process.find('/') != std::string::npos) return process;
  std::string path =
      instance.launch.value("path", "") + ":/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
  std::string found = find_on_path(process, path);
  if (found.empty())
    throw Error("instance " + instance.key + ": " + quote(process) +
                " is not on its path here, so the image cannot hold it");
  return found;
}

// The Nix store paths the profile's software needs, with their closure.
std::vector<std::string> nix_closure(const Session& session, const std::string& roots_text) {
  std::vector<std::string> roots = nix_roots_paths(roots_text);
  if (roots.empty()) return {};
  std::vector<std::string> argv = {"nix-store"};
  for (auto& option : nix_store_options(session.nix_store)) argv.push_back(option);
  argv.insert(argv.end(), {"--query", "--requisites"});
  argv.insert(argv.end(), roots.begin(), roots.end());
  RunResult result = run(argv, capturing());
  if (!result.ok())
    throw Error("cannot list the Nix closure of the image's software: nix-store " +
                result.describe() + ": " + result.err);
  std::vector<std::string> paths;
  for (size_t at = 0; at < result.out.size();) {
    size_t end = result.out.find('\n', at);
    if (end == std::string::npos) end = result.out.size();
    if (end > at) paths.push_back(result.out.substr(at, end - at));
    at = end + 1;
  }
  return paths;
}

// Executables below `dir`: their ELF libraries must come along, and so
// must what a link points at (the compatibility set's link farms point at
// the host's programs).
void executables_below(const std::string& dir, std::vector<std::string>& found) {
  struct stat info, target;
  if (::lstat(dir.c_str(), &info) != 0) return;
  bool executable =
      ::stat(dir.c_str(), &target) == 0 && S_ISREG(target.st_mode) && (target.st_mode & 0111);
  if (executable) found.push_back(dir);
  if (!S_ISDIR(info.st_mode)) return;
  for (const auto& name : fs::list_directory(dir)) executables_below(dir + "/" + name, found);
}

void add_state_dirs(image::Layer& layer, const StateDirs& dirs) {
  auto add = [&](const std::string& dir, unsigned mode) {
    std::string path;
    for (size_t at = 1; at <= dir.size(); ++at)
      if (at == dir.size() || dir[at] == '/') {
        path = dir.substr(1, at - 1);
        if (!path.empty())
          layer.files.push_back(
              {path, image::ImageFile::Directory, at == dir.size() ? mode : 0755, 0, 0, "", ""});
      }
  };
  // Debian's /var/run is /run.
  if (dirs.runtime_dir == "/var/run")
    layer.files.push_back({"var/run", image::ImageFile::Symlink, 0777, 0, 0, "", "../run"});
  else
    add(dirs.runtime_dir, 0755);
  for (const auto* dir : {&dirs.state_dir, &dirs.log_dir, &dirs.cache_dir, &dirs.spool_dir,
                          &dirs.lock_dir, &dirs.lib_dir})
    add(*dir, 0755);
  add(dirs.tmp_dir, 01777);
}

bool same(const image::ImageFile& a, const image::ImageFile& b) {
  return a.kind == b.kind && a.mode == b.mode && a.uid == b.uid && a.gid == b.gid &&
         a.source == b.source && a.data == b.data && a.mtime == b.mtime;
}

// Within a layer the first entry for a path wins (the skeleton over a
// package's directory of the same name). A later layer drops what an
// earlier one has already, and replaces what it has otherwise (/etc/passwd
// with the model's accounts).
void drop_duplicates(image::Layer& layer, std::map<std::string, image::ImageFile>& below) {
  std::vector<image::ImageFile> kept;
  std::set<std::string> here;
  for (auto& file : layer.files) {
    if (!here.insert(file.path).second) continue;
    if (auto it = below.find(file.path); it != below.end() && same(it->second, file)) continue;
    kept.push_back(file);
  }
  for (const auto& file : kept) below[file.path] = file;
  layer.files = std::move(kept);
}

std::string default_name(const std::string& model) {
  std::string base = fs::basename(fs::dirname(fs::absolute_path(model)));
  std::string name;
  for (char c : base)
    name += std::isalnum(static_cast<unsigned char>(c)) ? char(std::tolower(c)) : '-';
  return name.empty() ? "nixproc" : name;
}

// A temporary directory that goes away with everything in it.
struct StagingDir {
  std::string path;
  explicit StagingDir(const std::string& near) {
    std::string pattern = near + ".staging-XXXXXX";
    if (!::mkdtemp(pattern.data()))
      throw Error("cannot create a staging directory next to " + near + ": " + fs::errno_text());
    path = pattern;
  }
  ~StagingDir() {
    try {
      fs::remove_tree(path);
    } catch (...) {
    }
  }
};

// An image description (createMultiProcessImage and the like) in `file`, or
// null when it is a processes model (or not Nix at all).
json image_description(const std::string& file, const Installation& installation) {
  if (model::is_json_model(file)) return nullptr;
  fs::check_input_file(file, "image description or processes model:");
  try {
    return model::evaluate_nix_file(installation.nix_dir + "/eval-image.nix",
                                    {{"file", fs::absolute_path(file)}}, installation.nix_dir, file,
                                    model::kDefaultEvalTimeout, compat_search_path(installation));
  } catch (const Error&) {
    return nullptr;  // a processes model that wants arguments: loading it says what is wrong
  }
}

// The description's parameters, as the command line would give them.
void apply_description(ImageCommandOptions& options, const json& description) {
  auto text = [&](const char* key) {
    const json& value = description[key];
    return value.is_string() ? value.get<std::string>() : std::string();
  };
  options.name = text("name");
  options.tag = text("tag");
  options.model = text("exprFile");
  if (!text("processManager").empty()) options.common.process_manager = text("processManager");
  options.no_interactive = !description.value("interactive", true);
  options.image.manpages = description.value("manpages", false);
  options.common.dirs.force_disable_user_change =
      description.value("forceDisableUserChange", false);
  options.common.dirs.state_dir = text("stateDir");
  options.common.dirs.runtime_dir = text("runtimeDir");
  if (!description["extraParams"].empty())
    options.common.extra_params = description["extraParams"].dump();
  options.id_resources = text("idResourcesFile");
  options.common.ids_file = text("idsFile");
  options.no_bootstrap = !description.value("bootstrap", true);
  for (const auto& item : description["contents"])
    options.image.contents.push_back(item.get<std::string>());
  std::string kind = text("kind");
  options.mutable_image = kind == "mutable";
  options.nix_only = kind == "nix";
}

// createNixImage: the base (interactive tools), Nix, a shell; no model.
int run_nix_image(ImageCommandOptions& options) {
  options.image.nix = true;
  options.image.interactive = !options.no_interactive;
  if (options.output.empty()) options.output = options.name + "-" + options.tag + ".tar";
  std::string output = fs::absolute_path(options.output);
  static const image::ImageManager none{"none", {}};
  image::Layer base = image::base_layer(none, options.image, {});
  std::map<std::string, image::ImageFile> below;
  drop_duplicates(base, below);
  image::ImageConfig config;
  config.cmd = {"/bin/bash"};
  config.env = {image::kImagePath, "USER=root"};
  config.working_dir = "/root";
  image::write_docker_archive(output, options.name + ":" + options.tag, {base}, config);
  log::info("wrote " + output + " (" + options.name + ":" + options.tag + ")");
  return 0;
}

int run_image(ImageCommandOptions& options) {
  if (!options.model.empty() || std::getenv("NIXPROC_PROCESSES"))
    if (json description = image_description(choose_model(options.model), locate_installation());
        !description.is_null()) {
      std::string output = options.output;
      apply_description(options, description);
      if (!output.empty()) options.output = output;
      if (options.nix_only) return run_nix_image(options);
    }
  std::string pm = choose_process_manager(options.common, "supervisord");
  const image::ImageManager& manager = image::image_manager(pm);
  const Backend& backend = find_backend(pm);
  std::string model = choose_model(options.model);
  if (options.name.empty()) options.name = default_name(model);
  if (options.output.empty()) options.output = options.name + "-" + options.tag + ".tar";
  options.image.interactive = !options.no_interactive;
  options.image.nix = options.image.nix || options.mutable_image;
  std::string output = fs::absolute_path(options.output);

  // The image's own directories: built as root would build them there.
  CommonOptions common = options.common;
  if (!common.dirs.state_dir) common.dirs.state_dir = "/var";
  if (!common.dirs.runtime_dir) common.dirs.runtime_dir = "/var/run";
  Session session = open_session(common, backend.name);
  Installation host = session.installation;
  StagingDir staging(output);
  fs::make_directories(staging.path + image::kImageStore);
  session.store = Store(image::kImageStore, staging.path);
  session.installation.libexec_dir = image::kImageLibexec;
  session.context.installation = session.installation;
  session.context.privileged = true;
  session.context.calling_user = session.context.calling_group = "root";

  auto loaded = load(session, common, model);
  realise(session, common, loaded);
  session.context.runtime = store_runtime(session.store, host);
  auto built = build_profile(loaded, backend, session.context, session.store);
  fs::make_directories(staging.path + image::kImageHome + "/profiles");
  Profile(staging.path + image::kImageHome + "/profiles", "processes").set(built.profile_path);

  std::vector<std::string> nixproc_hosts;
  for (const auto& program : nixproc_programs(host)) nixproc_hosts.push_back(program.host);
  image::Layer base = image::base_layer(manager, options.image, nixproc_hosts);
  add_nixproc(base, host);
  image::add_tree(base.files, staging.path + session.context.runtime, session.context.runtime);

  image::Layer app;
  std::vector<std::string> executables, packages;
  for (const auto& instance : built.manifest.instances)
    if (std::string executable = host_executable(instance, host); !executable.empty())
      executables.push_back(executable);
  for (const auto& item : options.image.contents)
    (item.find('/') == std::string::npos ? packages : executables).push_back(item);
  std::vector<std::string> nix_paths = nix_closure(session, loaded.nix_roots_text);
  for (const auto& path : nix_paths) executables_below(path, executables);
  image::ClosureOptions closure_options;
  closure_options.manpages = options.image.manpages;
  image::add_host_files(app.files, image::host_closure(executables, packages, closure_options));
  for (const auto& path : nix_paths) image::add_tree(app.files, path, path);
  for (const auto& item : options.image.contents)
    if (item.find('/') != std::string::npos) image::add_tree(app.files, item, item);
  // nixproc's home: the profile and what it refers to, not the staging's
  // bookkeeping (caches, locks, work dirs).
  std::string home = staging.path + image::kImageHome;
  // A mutable image deploys its model when it first starts; an immutable
  // one has it deployed already.
  if (options.mutable_image) {
    add_model_dir(app, model, options);
  } else {
    for (const auto& name : fs::list_directory(home + "/store"))
      if (name[0] != '.')
        image::add_tree(app.files, home + "/store/" + name,
                        std::string(image::kImageStore) + "/" + name);
    image::add_tree(app.files, home + "/profiles", std::string(image::kImageHome) + "/profiles");
  }
  if (options.image.nix && !nix_paths.empty() && nix_paths.front().rfind("/nix/store/", 0) == 0)
    app.files.push_back({std::string(image::kNixRegistration).substr(1), image::ImageFile::File,
                         0644, 0, 0, "", nix_registration(session, nix_paths)});
  add_state_dirs(app, session.context.dirs);
  // The model's users and groups exist before anything starts (a mutable
  // image's first switch creates them).
  if (!options.mutable_image && !session.context.dirs.force_disable_user_change)
    for (auto& file : image::account_files(built.manifest))
      app.files.insert(app.files.begin(), file);
  // A plain `supervisorctl status` inside finds the deployment's supervisord
  // (/etc/supervisord.conf comes before Debian's own in its search).
  if (pm == "supervisord")
    app.files.push_back({"etc/supervisord.conf", image::ImageFile::Symlink, 0777, 0, 0, "",
                         supervisord::layout_for(session.context.dirs).conf_file});

  std::map<std::string, image::ImageFile> below;
  drop_duplicates(base, below);
  drop_duplicates(app, below);

  image::ImageConfig config;
  config.cmd = {std::string(image::kImagePrefix) + "/bin/nixproc", "container-init"};
  config.env = {image::kImagePath, "NIXPROC_PROCESS_MANAGER=" + pm};
  if (session.context.dirs.force_disable_user_change)
    config.env.push_back("NIXPROC_FORCE_DISABLE_USER_CHANGE=1");
  if (options.mutable_image) {
    config.env.push_back("NIXPROC_PROCESSES=" + std::string(image::kImageModelDir) + "/" +
                         fs::basename(model));
    if (options.no_bootstrap) config.env.push_back(std::string(image::kNoBootstrapVariable) + "=1");
  }
  config.working_dir = "/";
  config.stop_signal = "SIGTERM";
  config.labels = {{"nixproc.process-manager", pm}};
  image::write_docker_archive(output, options.name + ":" + options.tag, {base, app}, config);
  log::info("wrote " + output + " (" + options.name + ":" + options.tag +
            "); load it with `podman load -i " + output + "`");
  return 0;
}

}  // namespace

void register_image(CLI::App& app, Action& action) {
  auto options = std::make_shared<ImageCommandOptions>();
  auto* command = app.add_subcommand(
      "image",
      "Write a self-contained container image (docker-archive, for podman load or docker load) "
      "that runs a whole processes model under one process manager");
  options->common.add_model_options(*command);
  options->common.add_ids_option(*command);
  options->common.add_dir_options(*command);
  command->add_option("--name", options->name, "Image name (default: the model's directory name)");
  command->add_option("--tag", options->tag, "Image tag (default: latest)");
  command->add_option("-o,--output", options->output, "Archive to write (default: NAME-TAG.tar)")
      ->type_name("FILE");
  command->add_flag("--no-interactive", options->no_interactive,
                    "Leave out the interactive tools (bash, coreutils, procps, less, a .bashrc)");
  command->add_flag("--manpages", options->image.manpages,
                    "Include man and the packages' manual pages");
  command->add_flag("--mutable", options->mutable_image,
                    "A mutable image: the model's directory in /etc/nixproc (NIXPROC_PROCESSES), "
                    "Nix inside, deployed on the first start; edit it and run "
                    "nixproc-<pm>-switch inside to upgrade");
  command->add_flag("--no-bootstrap", options->no_bootstrap,
                    "Mutable image: do not deploy the model on the first start");
  command->add_flag("--nix", options->image.nix,
                    "Nix inside (nix-bin), with its own store holding the model's Nix closure");
  command
      ->add_option("--id-resources", options->id_resources,
                   "Mutable image: an ID resources file to put beside the model")
      ->type_name("FILE");
  command
      ->add_option("--contents", options->image.contents,
                   "More to put in the image: a Debian package name, or a host path (repeatable)")
      ->type_name("PKG|PATH")
      ->allow_extra_args(false);
  command->add_option("model", options->model,
                      "The processes model (.nix or .json; env NIXPROC_PROCESSES)");
  command->footer(
      "Process managers: " + image::image_manager_names() +
      ". The image runs `nixproc container-init` as PID 1: it creates the model's users, starts "
      "every process in dependency order under the process manager, and on TERM stops them in "
      "reverse order. State directories default to /var and /var/run inside the image.");
  command->callback([options, &action] { action = [options] { return run_image(*options); }; });
  image::register_container_init(app, action);
}

}  // namespace nixproc::cli
