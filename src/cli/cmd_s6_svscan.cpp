// `nixproc s6-svscan`: starts the s6-svscan of a state directory, the one
// `-P s6` deploys into (a switch starts it by itself when none runs). With
// --foreground it runs s6-svscan in place of nixproc, for a container's
// entry point or another supervisor.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "backends/s6/control.h"
#include "backends/s6/layout.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "util/error.h"
#include "util/fs.h"

namespace nixproc::cli {

namespace {

struct SvscanOptions {
  CommonOptions common;
  bool foreground = false;
};

int run_svscan(const SvscanOptions& options) {
  StateDirs dirs = resolve_state_dirs(options.common.dirs);
  s6::Layout layout = s6::layout_for(dirs);
  s6::Svscan svscan{layout.scan_dir, layout.pid_file, layout.lock_file, layout.log_file};
  if (s6::is_running(svscan)) {
    std::fprintf(stderr, "s6-svscan already runs on %s\n", layout.scan_dir.c_str());
    if (options.foreground) return 1;
    std::printf("%s\n", layout.scan_dir.c_str());
    return 0;
  }
  fs::make_directories(layout.scan_dir);
  if (options.foreground) {
    std::fflush(nullptr);
    ::execlp("s6-svscan", "s6-svscan", layout.scan_dir.c_str(), static_cast<char*>(nullptr));
    throw Error(std::string("cannot run s6-svscan: ") + std::strerror(errno));
  }
  s6::start_svscan(svscan, 60);
  std::printf("%s\n", layout.scan_dir.c_str());
  return 0;
}

}  // namespace

void register_s6_svscan(CLI::App& app, Action& action) {
  auto options = std::make_shared<SvscanOptions>();
  auto* command = app.add_subcommand(
      "s6-svscan",
      "Start the s6-svscan of a state directory (the one -P s6 deploys into) in the "
      "background, or with --foreground in place of nixproc; prints the scan directory");
  command->alias("nixproc-s6-svscan");
  options->common.add_dir_options(*command);
  command->add_flag("--foreground", options->foreground,
                    "Run s6-svscan in the foreground instead of nixproc (no PID file)");
  command->callback([options, &action] { action = [options] { return run_svscan(*options); }; });
}

}  // namespace nixproc::cli
