#include "backends/common/keeper.h"
#include "backends/common/process_fields.h"
#include "backends/common/shell_script.h"
#include "backends/disnix/disnix.h"
#include "backends/disnix/info.h"
#include "core/process_rules.h"
#include "model/fields.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/shell.h"

namespace nixproc::disnix {

RenderedInstance render(const RenderInput& input) {
  model::FieldReader reader(input.config, instance_label(input.instance.key) + " (disnix)");
  reader.ignore({"type", "name", "dependencies", "credentials"});
  const StateDirs& dirs = input.context.dirs;
  std::string name = input.instance.name;

  auto process = reader.optional_string("process");
  if (!process) reader.fail("process", "missing: the executable to start");
  bool is_daemon = reader.boolean_or("processIsDaemon", true);
  auto args = reader.string_list("args");
  auto instance_name = reader.optional_string("instanceName");
  auto user = read_user(reader);
  auto effective = effective_user(user, dirs);
  auto environment = read_environment(reader);
  auto path = reader.string_list("path");
  auto initialize = reader.string_or("initialize", "");
  auto directory = reader.optional_string("directory");
  auto umask = read_umask(reader);
  auto nice = read_nice(reader);
  auto program = reader.optional_string("program");
  if (!program) program = process;

  auto explicit_pid_file = reader.optional_string("pidFile");
  auto pid_file = auto_pid_file(explicit_pid_file, instance_name, user, dirs);
  // Dysnomia's default for daemons; for a foreground process the keeper
  // writes it, with nixproc's privileges, so never in a shared directory.
  const std::string base = instance_name.value_or(name);
  if (!is_daemon && !explicit_pid_file) pid_file = dirs.runtime_dir + "/" + base + ".pid";
  if (!pid_file) pid_file = dirs.runtime_dir + "/" + fs::basename(*process) + ".pid";
  reader.reject_unknown_fields();

  std::string record = instance_record_dir(dirs, name);
  std::string log = instance_log_file(base, dirs);
  KeeperLaunch launch;
  launch.record = record;
  launch.command = {*process};
  launch.command.insert(launch.command.end(), args.begin(), args.end());
  launch.is_daemon = is_daemon;
  launch.pid_file = pid_file;
  launch.initialize = initialize;
  launch.user = effective;
  launch.directory = directory;
  launch.umask = umask;
  launch.nice = nice;

  std::string wrapper = "#! /bin/sh -e\n";
  wrapper += shell_exports(environment_with_path(environment, path));
  wrapper += "exec " + command_line(daemonised_keeper_command(input.context, launch, log)) + "\n";

  RenderedInstance rendered;
  RenderedFile wrapper_file{"libexec/nixproc/" + name + "-process-wrapper", wrapper, true};
  std::string config_path = "etc/dysnomia/process/" + name;
  rendered.files.push_back(wrapper_file);
  rendered.files.push_back(
      {config_path,
       "process=" + stored_path(input.store, wrapper_file) + "\npidFile=" + *pid_file + "\n",
       false});
  rendered.info = info_json(Info{.name = name,
                                 .wrapper = wrapper_file.path,
                                 .config = config_path,
                                 .pid_file = *pid_file,
                                 .program = *program,
                                 .record = record,
                                 .log = log,
                                 .user = effective});
  return rendered;
}

}  // namespace nixproc::disnix
