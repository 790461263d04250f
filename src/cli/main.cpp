// nixproc: one binary, many commands. The original framework's command names
// (nixproc-sysvinit-switch, nixproc-build, ...) work as aliases through argv[0]
// (cli/aliases.def).
#include <malloc.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli/aliases.h"
#include "cli/commands.h"
#include "util/error.h"
#include "util/exit_codes.h"
#include "util/fs.h"
#include "util/log.h"

#ifndef NIXPROC_VERSION
#define NIXPROC_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  using namespace nixproc;
  // Large models build multi-megabyte strings; without this glibc maps and
  // unmaps fresh pages for each of them, and page faults took a third of the
  // build time.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
  std::string program = fs::basename(argv[0]);
  std::vector<std::string> args(argv + 1, argv + argc);
  args = cli::expand_alias(program, args);

  CLI::App app{
      "nixproc: deploy running processes from one declarative processes model to the "
      "process manager of your choice",
      "nixproc"};
  app.set_version_flag("--version", std::string("nixproc ") + NIXPROC_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Say more about what happens");
  cli::Action action;
  cli::register_build(app, action);
  cli::register_switch(app, action);
  cli::register_activities(app, action);
  cli::register_init_state(app, action);
  cli::register_gc(app, action);
  cli::register_data_dir(app, action);
  cli::register_stateless(app, action);
  cli::register_s6_svscan(app, action);
  cli::register_generate_config(app, action);
  cli::register_id_assign(app, action);
  cli::register_visualize(app, action);
  cli::register_disnix_export(app, action);
  cli::register_compat(app, action);
  cli::register_image(app, action);
  cli::register_test(app, action);
  // After the subcommands, which would inherit it.
  app.footer(exit_status_section({
                 exit_status(kExitSuccess, "done"),
                 exit_status(kExitFailure,
                             "failed, the reason is on stderr; also a usage error "
                             "(an unknown option, a missing argument)"),
                 exit_status(kExitBusy, "another switch or activity holds the profile's lock"),
                 exit_status(kExitInternal, "internal error"),
             }) +
             "start, stop, restart, reload, status and runactivity exit with the activities' "
             "statuses too (see their --help); test exits 1 when a variant failed, " +
             std::to_string(kExitInterrupted) + " when interrupted.");

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& error) {
    // CLI11's own statuses (106 for a ValidationError, ...) are not used.
    int code = app.exit(error);
    return code == 0 ? kExitSuccess : kExitUsage;
  }
  log::set_verbose(verbose);
  try {
    return action ? action() : kExitFailure;
  } catch (const Error& error) {
    std::fprintf(stderr, "nixproc: error: %s\n", error.what());
    return error.exit_code;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "nixproc: internal error: %s\n", error.what());
    return kExitInternal;
  }
}
