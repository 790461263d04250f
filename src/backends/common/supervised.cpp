#include "backends/common/supervised.h"

#include "backends/common/keeper.h"
#include "backends/common/process_fields.h"
#include "backends/common/shell_script.h"
#include "core/process_rules.h"
#include "model/managed_process.h"
#include "util/shell.h"

namespace nixproc {

json translate_supervised(const model::ManagedProcess& process, const Context& context) {
  json config = model::common_settings(process);
  if (process.foreground_process) {
    config["process"] = *process.foreground_process;
    config["args"] = process.foreground_process_args;
    config["processIsDaemon"] = false;
  } else {
    config["process"] = *process.daemon;
    config["args"] = process.daemon_args;
    config["processIsDaemon"] = true;
    // The same PID file rule as the daemon-preferring backends, so a model
    // that works with sysvinit finds its daemon's PID file here too.
    auto pid_file =
        auto_pid_file(process.pid_file, process.instance_name, process.user, context.dirs);
    config["pidFile"] = pid_file.value_or(context.dirs.runtime_dir + "/" + process.name + ".pid");
  }
  for (const auto& [field, value] : {std::pair{"directory", &process.directory},
                                     {"umask", &process.umask},
                                     {"nice", &process.nice},
                                     {"user", &process.user}})
    if (*value) config[field] = **value;
  return config;
}

RunSpec read_run_spec(model::FieldReader& reader, const RenderInput& input) {
  reader.ignore({"type", "name", "dependencies", "credentials"});
  RunSpec spec;
  spec.name = input.instance.name;
  auto process = reader.optional_string("process");
  if (!process || process->empty()) reader.fail("process", "missing: the executable to run");
  spec.process = *process;
  spec.args = reader.string_list("args");
  spec.is_daemon = reader.boolean_or("processIsDaemon", false);
  spec.pid_file = reader.optional_string("pidFile");
  if (spec.is_daemon && !spec.pid_file)
    reader.fail("pidFile", "a daemon needs the PID file it writes, to be supervised");
  spec.initialize = reader.string_or("initialize", "");
  auto environment = read_environment(reader);
  spec.environment = environment_with_path(environment, reader.string_list("path"));
  spec.directory = reader.optional_string("directory");
  spec.umask = read_umask(reader);
  spec.nice = read_nice(reader);
  auto user = read_user(reader);
  spec.effective_user = effective_user(user, input.context.dirs);
  return spec;
}

std::string render_run_script(const RunSpec& spec, const Context& context) {
  const std::string bin = context.runtime + "/bin/";
  std::string script = "#! /bin/sh -e\n";
  if (spec.stderr_to_stdout) script += "exec 2>&1\n";
  script += shell_exports(spec.environment);
  if (spec.record) {
    // The keeper runs initialize with the manager's privileges, then the
    // process as its user, and keeps them all together.
    KeeperLaunch launch;
    launch.record = *spec.record;
    launch.command = {spec.process};
    launch.command.insert(launch.command.end(), spec.args.begin(), spec.args.end());
    launch.is_daemon = spec.is_daemon;
    if (spec.is_daemon) launch.pid_file = spec.pid_file;
    launch.initialize = spec.initialize;
    launch.user = spec.effective_user;
    launch.directory = spec.directory;
    launch.umask = spec.umask;
    launch.nice = spec.nice;
    launch.notify_fd = spec.notify_fd;
    return script + "exec " + command_line(keeper_command(context, launch)) + "\n";
  }
  if (spec.umask) script += "umask " + *spec.umask + "\n";
  // initialize runs before the user switch, with the manager's privileges,
  // as it does in the original (it typically creates and chowns directories).
  if (!spec.initialize.empty()) script += spec.initialize + "\n";
  if (spec.directory) script += "cd " + shell_quote(*spec.directory) + "\n";

  std::vector<std::string> command;
  if (spec.nice) command = {"nice", "-n", *spec.nice};
  if (spec.effective_user)
    command.insert(command.end(), {bin + "nixproc-chainload-user", *spec.effective_user});
  if (spec.is_daemon) {
    command.insert(command.end(), {bin + "nixproc-foreground-proxy", "--pid-file", *spec.pid_file});
    if (spec.notify_fd >= 0)
      command.insert(command.end(), {"--notify-fd", std::to_string(spec.notify_fd)});
    command.push_back("--");
  }
  command.push_back(spec.process);
  command.insert(command.end(), spec.args.begin(), spec.args.end());
  script += "exec " + command_line(command) + "\n";
  return script;
}

}  // namespace nixproc
