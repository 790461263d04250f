#include "backends/common/shell_script.h"
#include "backends/disnix/disnix.h"
#include "core/process_rules.h"
#include "model/fields.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/shell.h"

namespace nixproc::disnix {

RenderedInstance render(const RenderInput& input) {
  model::FieldReader reader(input.config, "instance " + input.instance.key + " (disnix)");
  reader.ignore({"type", "name", "dependencies", "credentials"});
  const StateDirs& dirs = input.context.dirs;
  const std::string bin = input.context.runtime + "/bin/";
  std::string name = input.instance.name;

  auto process = reader.optional_string("process");
  if (!process) reader.fail("process", "missing: the executable to start");
  bool is_daemon = reader.boolean_or("processIsDaemon", true);
  auto args = reader.string_list("args");
  auto instance_name = reader.optional_string("instanceName");
  auto user = reader.optional_string("user");
  if (user && user->empty()) user.reset();
  auto effective = effective_user(user, dirs);
  auto environment = reader.string_map("environment");
  for (const auto& [variable, value] : environment)
    if (!is_shell_variable_name(variable))
      reader.fail("environment." + variable, "not a valid environment variable name");
  auto path = reader.string_list("path");
  auto initialize = reader.string_or("initialize", "");
  auto directory = reader.optional_string("directory");
  auto umask = reader.optional_scalar_text("umask");
  if (umask) model::check_umask(*umask, reader.context());
  auto nice = reader.optional_scalar_text("nice");
  if (nice) model::check_nice(*nice, reader.context());
  auto program = reader.optional_string("program");
  if (!program) program = process;

  auto pid_file = auto_pid_file(reader.optional_string("pidFile"), instance_name, user, dirs);
  if (!pid_file)  // Dysnomia's default for daemons; nixproc-daemon writes where it is told
    pid_file = is_daemon ? dirs.runtime_dir + "/" + fs::basename(*process) + ".pid"
                         : pid_files_dir(user, dirs) + "/" + name + ".pid";
  reader.reject_unknown_fields();

  std::vector<std::string> command;
  if (nice) command = {"nice", "-n", *nice};
  if (is_daemon) {
    if (effective) command.insert(command.end(), {bin + "nixproc-chainload-user", *effective});
  } else {
    command.insert(command.end(),
                   {bin + "nixproc-daemon", "--inherit-env", "--pid-file", *pid_file, "--output",
                    daemon_log_file(instance_name.value_or(name), effective, dirs)});
    if (effective) command.insert(command.end(), {"--user", *effective});
    if (directory) command.insert(command.end(), {"--chdir", *directory});
    if (umask) command.insert(command.end(), {"--umask", *umask});
    command.push_back("--");
  }
  command.push_back(*process);
  command.insert(command.end(), args.begin(), args.end());

  std::string wrapper = "#! /bin/sh -e\n";
  wrapper += shell_exports(environment_with_path(environment, path));
  if (umask) wrapper += "umask " + *umask + "\n";
  if (!initialize.empty()) wrapper += initialize + "\n";
  if (directory) wrapper += "cd " + shell_quote(*directory) + "\n";
  wrapper += "exec " + command_line(command) + "\n";

  RenderedInstance rendered;
  RenderedFile wrapper_file{"libexec/nixproc/" + name + "-process-wrapper", wrapper, true};
  std::string config_path = "etc/dysnomia/process/" + name;
  rendered.files.push_back(wrapper_file);
  rendered.files.push_back(
      {config_path,
       "process=" + stored_path(input.store, wrapper_file) + "\npidFile=" + *pid_file + "\n",
       false});
  rendered.info = {{"name", name},
                   {"wrapper", wrapper_file.path},
                   {"config", config_path},
                   {"pidFile", *pid_file},
                   {"program", *program}};
  if (effective) rendered.info["user"] = *effective;
  return rendered;
}

}  // namespace nixproc::disnix
