// `nixproc supervisord-stateless`: builds the supervisord profile of a model
// and runs supervisord in the foreground on the profile itself, without a
// generation or a switch (the original's nixproc-supervisord-deploy-stateless;
// the entry point of a container). Stopping supervisord stops everything.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "backends/backend.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "core/state_dirs.h"
#include "deploy/build.h"
#include "deploy/credentials.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/lock.h"
#include "util/log.h"

namespace nixproc::cli {

namespace {

struct StatelessOptions {
  CommonOptions common;
  std::string model;
  std::string supervisord = "supervisord";
};

// Keeps the profile from `nixproc gc` while supervisord may use it: an
// indirect root, like a build's result link, named after the state dir.
void protect_from_gc(const Session& session, const std::string& profile_path) {
  std::string key = sha256_hex(session.context.dirs.state_dir).substr(0, 32);
  std::string link = session.home.root + "/stateless-supervisord-" + key;
  fs::replace_symlink(profile_path, link);
  fs::replace_symlink(link, session.home.gcroots + "/stateless-supervisord-" + key);
}

int run_stateless(const StatelessOptions& options) {
  const Backend& backend = find_backend("supervisord");
  Session session = open_session(options.common, backend.name);
  std::string profile_path;
  {
    FileLock store_lock(session.store.dir() + "/.lock", true, "garbage collection", true);
    auto loaded = load(session, options.common, choose_model(options.model));
    realise(session, options.common, loaded);
    session.context.runtime = store_runtime(session.store, session.installation);
    auto built = build_profile(loaded, backend, session.context, session.store);
    profile_path = built.profile_path;
    const StateDirs& dirs = session.context.dirs;
    std::string reason;
    if (!session.context.privileged && !dirs.force_disable_user_change &&
        needs_privileges(built.manifest, reason))
      throw Error(reason +
                  ", which needs root; run nixproc as root or pass --force-disable-user-change");
    init_state(dirs, session.context.privileged);
    for (const auto& done : create_accounts(built.manifest)) log::info(done);
    protect_from_gc(session, profile_path);
  }
  std::string conf = profile_path + "/supervisord.conf";
  log::info("running " + options.supervisord + " -n -c " + conf);
  std::fflush(nullptr);
  const char* argv[] = {options.supervisord.c_str(), "-n", "-c", conf.c_str(), nullptr};
  ::execvp(argv[0], const_cast<char* const*>(argv));
  throw Error("cannot run " + options.supervisord + ": " + std::strerror(errno));
}

}  // namespace

void register_stateless(CLI::App& app, Action& action) {
  auto options = std::make_shared<StatelessOptions>();
  auto* command = app.add_subcommand(
      "supervisord-stateless",
      "Build a model's supervisord profile and run supervisord in the foreground on it, "
      "without a generation (a container's entry point); stopping supervisord stops everything");
  command->alias("nixproc-supervisord-deploy-stateless");
  options->common.add_model_options(*command);
  options->common.add_ids_option(*command);
  options->common.add_dir_options(*command);
  command->add_option("--supervisord", options->supervisord,
                      "The supervisord program to run (default: supervisord on PATH)");
  command->add_option("model", options->model,
                      "The processes model (.nix or .json; env NIXPROC_PROCESSES)");
  command->callback([options, &action] { action = [options] { return run_stateless(*options); }; });
}

}  // namespace nixproc::cli
