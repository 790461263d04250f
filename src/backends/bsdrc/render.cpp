#include <algorithm>

#include "backends/bsdrc/bsdrc.h"
#include "backends/bsdrc/info.h"
#include "backends/bsdrc/rc_quoting.h"
#include "backends/common/process_fields.h"
#include "core/process_rules.h"
#include "model/fields.h"
#include "util/error.h"
#include "util/names.h"
#include "util/shell.h"

namespace nixproc::bsdrc {

namespace {

// FreeBSD's daemon(8): runs a foreground process in the background and
// writes its PID file.
const char* const kDaemon = "/usr/sbin/daemon";
// Commands rc.subr implements itself; other commands go in extra_commands.
const char* const kBuiltinCommands[] = {"start",  "stop", "reload", "restart",
                                        "status", "poll", "rcvar"};

struct Command {
  std::string pre, implementation, post;
};

struct Script {
  // name: the script's file and what it provides; var: the rc.subr name
  // its variables and functions are made of (name with '-' as '_').
  std::string name, var, rc_subr, rcvar, reload_signal, stop_signal;
  std::optional<std::string> command, instance_name, pid_file, nice, umask, directory, user;
  std::vector<std::string> command_args, path, required, provides, keywords;
  bool command_is_daemon = true, output_logging = true, flexible_parameters = false;
  std::map<std::string, std::string> environment, rcvars_defaults;
  std::map<std::string, Command> commands;
};

bool is_identifier_character(char c) {
  return is_ascii_letter(c) || is_ascii_digit(c) || c == '_';
}

std::string signal_field(model::FieldReader& reader, const std::string& field,
                         const std::string& fallback) {
  std::string signal = reader.string_or(field, fallback);
  if (!is_nonempty_run_of(signal,
                          [](char c) { return (c >= 'A' && c <= 'Z') || is_ascii_digit(c); }))
    reader.fail(field,
                "expected a signal name such as \"" + fallback + "\", got \"" + signal + "\"");
  return signal;
}

std::vector<std::string> words_field(model::FieldReader& reader, const std::string& field) {
  auto words = reader.string_list(field);
  for (const auto& word : words)
    if (!is_plain_word(word))
      reader.fail(field, "\"" + word + "\" is not a plain word (rcorder splits on whitespace)");
  return words;
}

Script parse(const RenderInput& input) {
  model::FieldReader reader(input.config, instance_label(input.instance.key) + " (bsdrc)");
  reader.ignore({"type", "name", "dependencies", "credentials", "postInstall"});
  Script script;
  script.name = input.instance.name;
  // rc.subr builds variable names from $name (${name}_user, ...); a '-'
  // becomes '_' there, as FreeBSD's own scripts do (the original's tests
  // name instances webapp-1 and the like).
  script.var = script.name;
  std::replace(script.var.begin(), script.var.end(), '-', '_');
  if (!is_nonempty_run_of(script.var, is_identifier_character) || is_ascii_digit(script.var[0]))
    reader.fail("name", "\"" + script.name +
                            "\" cannot name an rc.d script: rc.subr makes variables of it, so use "
                            "letters, digits, '-' and '_', not starting with a digit");
  script.rc_subr = reader.string_or("rcSubr", "/etc/rc.subr");
  script.rcvar = reader.string_or("rcvar", "enable");
  if (!is_nonempty_run_of(script.rcvar, is_identifier_character))
    reader.fail("rcvar", "expected letters, digits and '_', got \"" + script.rcvar + "\"");
  script.command = reader.optional_string("command");
  script.command_args = reader.string_list("commandArgs");
  script.command_is_daemon = reader.boolean_or("commandIsDaemon", true);
  script.output_logging = reader.boolean_or("enableDaemonOutputLogging", true);
  script.environment = read_environment(reader);
  script.path = reader.string_list("path");
  script.instance_name = reader.optional_string("instanceName");
  script.pid_file = reader.optional_string("pidFile");
  script.nice = read_nice(reader);
  script.umask = read_umask(reader);
  script.directory = reader.optional_string("directory");
  script.user = read_user(reader);
  script.reload_signal = signal_field(reader, "reloadSignal", "HUP");
  script.stop_signal = signal_field(reader, "stopSignal", "TERM");
  script.required = words_field(reader, "requires");
  script.keywords = words_field(reader, "keywords");
  script.provides = reader.optional_string_list("provides").value_or(std::vector{script.name});
  for (const auto& word : script.provides)
    if (!is_plain_word(word))
      reader.fail("provides",
                  "\"" + word + "\" is not a plain word (rcorder splits on whitespace)");
  script.flexible_parameters = reader.boolean_or("flexibleParameters", false);
  script.rcvars_defaults = reader.string_map("rcvarsDefaults");
  for (const auto& [variable, value] : script.rcvars_defaults)
    if (!is_nonempty_run_of(variable, is_identifier_character))
      reader.fail("rcvarsDefaults." + variable, "not a valid rc variable suffix");

  json commands = reader.object("commands");
  for (const auto& [command, value] : commands.items()) {
    std::string field = "commands." + command;
    if (!is_nonempty_run_of(command, is_identifier_character))
      reader.fail(field, "invalid command name (use letters, digits and '_')");
    model::FieldReader item(value, reader.context() + ": field " + field);
    script.commands[command] = {item.string_or("pre", ""), item.string_or("implementation", ""),
                                item.string_or("post", "")};
    item.reject_unknown_fields();
  }
  reader.reject_unknown_fields();
  if (!script.command && (!script.commands.count("start") || !script.commands.count("stop") ||
                          script.commands["start"].implementation.empty() ||
                          script.commands["stop"].implementation.empty()))
    reader.fail("command",
                "missing: set command, or implementations for commands.start and commands.stop");
  if (script.command && !is_plain_word(*script.command))
    reader.fail("command", "\"" + *script.command +
                               "\" must be a path without spaces or shell characters: rc.subr "
                               "uses it unquoted");
  return script;
}

// The single line a comment must stay.
std::string words_line(const std::vector<std::string>& words) {
  std::string line;
  for (const auto& word : words) line += " " + word;
  return line;
}

void check_plain(const std::string& value, const std::string& context, const std::string& what) {
  if (!is_plain_word(value))
    throw Error(context + ": " + what + " \"" + value +
                "\" contains spaces or shell characters, which rc.subr does not quote");
}

std::string rc_function(const std::string& name, const std::string& body) {
  return name + "()\n{\n" + body + (body.empty() || body.back() == '\n' ? "" : "\n") + "}\n\n";
}

}  // namespace

RenderedInstance render(const RenderInput& input) {
  Script script = parse(input);
  const std::string context = instance_label(input.instance.key) + " (bsdrc)";
  const StateDirs& dirs = input.context.dirs;
  auto effective = effective_user(script.user, dirs);
  if (effective) check_plain(*effective, context, "user");

  std::vector<std::string> required;
  for (const auto& key : input.instance.dependencies)
    required.push_back(
        info_from_json<Info>(*input.dependency_info.at(key), instance_label(key)).name);
  required.insert(required.end(), script.required.begin(), script.required.end());

  RenderedInstance rendered;
  std::string env_file;
  if (!script.environment.empty()) {
    // Sourced by rc.subr with `set -a`: NAME='value' exports every value exactly.
    std::string text;
    for (const auto& [variable, value] : script.environment)
      text += variable + "=" + shell_quote(value) + "\n";
    RenderedFile file{"libexec/nixproc/" + script.name + "-env", text, false};
    env_file = stored_path(input.store, file);
    check_plain(env_file, context, "the environment file path");
    rendered.files.push_back(file);
  }

  // A foreground process runs through daemon(8), which writes the PID file
  // rc.subr checks: the same automatic one (the original passed only an
  // explicit pidFile to -p).
  std::optional<std::string> pid_file =
      auto_pid_file(script.pid_file, script.instance_name, script.user, dirs);
  std::optional<std::string> command, procname;
  std::vector<std::string> args;
  if (script.command) {
    if (script.command_is_daemon) {
      command = *script.command;
      args = script.command_args;
    } else {
      if (!pid_file) pid_file = pid_files_dir(script.user, dirs) + "/" + script.name + ".pid";
      command = kDaemon;
      procname = *script.command;
      args = {"-p", *pid_file};
      if (script.output_logging)
        args.insert(args.end(), {"-o", daemon_log_file(script.instance_name.value_or(script.name),
                                                       effective, dirs)});
      args.push_back(*script.command);
      args.insert(args.end(), script.command_args.begin(), script.command_args.end());
    }
  }
  if (pid_file) check_plain(*pid_file, context, "the PID file");

  std::string text = "#!/bin/sh\n#\n# PROVIDE:" + words_line(script.provides) + "\n";
  if (!required.empty()) text += "# REQUIRE:" + words_line(required) + "\n";
  if (!script.keywords.empty()) text += "# KEYWORD:" + words_line(script.keywords) + "\n";
  text += "\n. " + shell_quote(script.rc_subr) + "\n\n";
  text += "name=" + script.var + "\nrcvar=" + script.var + "_" + script.rcvar + "\n\n";
  text += "load_rc_config $name\n";
  // Defaults for rc.conf variables the user did not set.
  for (const auto& [suffix, value] : script.rcvars_defaults) {
    std::string variable = script.var + "_" + suffix;
    text += "[ -n \"${" + variable + "+set}\" ] || " + variable + "=" + shell_quote(value) + "\n";
  }
  text += "\n";
  if (script.umask) text += "umask " + *script.umask + "\n";
  if (command) {
    text += "command=" + shell_quote(*command) + "\n";
    if (procname) text += "procname=" + shell_quote(*procname) + "\n";
    Evaluation evaluation{effective.has_value(), script.nice.has_value()};
    text +=
        "# rc.subr evaluates command_args once more than this script: twice more inside\n"
        "# su -m USER -c 'sh -c \"...\"' when " +
        script.var +
        "_user is set, once more inside sh -c \"...\"\n"
        "# when only " +
        script.var + "_nice is: each argument is quoted for every evaluation.\n";
    text += "command_args=" + shell_quote(command_args(args, evaluation)) + "\n";
  }
  if (pid_file) text += "pidfile=" + shell_quote(*pid_file) + "\n";
  if (script.reload_signal != "HUP") text += "sig_reload=" + script.reload_signal + "\n";
  if (script.stop_signal != "TERM") text += "sig_stop=" + script.stop_signal + "\n";
  if (script.nice) text += script.var + "_nice=" + shell_quote(*script.nice) + "\n";
  // rc.subr evaluates `cd $<name>_chdir` once: the value holds a quoted word.
  if (script.directory)
    text += script.var + "_chdir=" + shell_quote(shell_quote(*script.directory)) + "\n";
  if (effective) text += script.var + "_user=" + shell_quote(*effective) + "\n";
  if (!env_file.empty()) text += script.var + "_env_file=" + shell_quote(env_file) + "\n";

  std::string extra_commands, functions;
  for (const auto& [name, command_parts] : script.commands) {
    if (std::find(std::begin(kBuiltinCommands), std::end(kBuiltinCommands), name) ==
        std::end(kBuiltinCommands))
      extra_commands += (extra_commands.empty() ? "" : " ") + name;
    for (const auto& [body, variable, function] :
         {std::tuple{&command_parts.pre, name + "_precmd", script.var + "_pre" + name},
          {&command_parts.implementation, name + "_cmd", script.var + "_" + name},
          {&command_parts.post, name + "_postcmd", script.var + "_post" + name}}) {
      if (body->empty()) continue;
      text += variable + "=" + function + "\n";
      functions += rc_function(function, *body);
    }
  }
  if (!extra_commands.empty()) text += "extra_commands=" + shell_quote(extra_commands) + "\n";
  // The given packages first; the system PATH stays after them, since rc.subr
  // itself needs ps, kill and friends.
  if (!script.path.empty())
    text += "PATH=" + shell_quote(compose_path(script.path)) + ":\"$PATH\"\nexport PATH\n";
  text += "\n" + functions;
  text +=
      std::string("run_rc_command ") + (script.flexible_parameters ? "\"$@\"" : "\"$1\"") + "\n";

  std::string script_path = "etc/rc.d/" + script.name;
  rendered.files.push_back({script_path, text, true});
  std::optional<std::string> program = procname ? procname : command;
  rendered.info = info_json(Info{.name = script.name,
                                 .script = script_path,
                                 .rcvar = script.var + "_" + script.rcvar,
                                 .pid_file = pid_file,
                                 .program = program,
                                 .user = effective});
  return rendered;
}

}  // namespace nixproc::bsdrc
