#include <algorithm>
#include <cstdio>

#include "backends/common/keeper.h"
#include "backends/common/process_fields.h"
#include "backends/common/shell_script.h"
#include "backends/sysvinit/info.h"
#include "backends/sysvinit/sysvinit.h"
#include "core/process_rules.h"
#include "model/fields.h"
#include "util/error.h"
#include "util/names.h"
#include "util/shell.h"

namespace nixproc::sysvinit {

namespace {

struct Instruction {
  std::string activity;     // "Starting", shown by log_info_msg
  std::string instruction;  // shell text
};

struct Script {
  std::string name, description, global_instructions, initialize, reload_signal;
  std::optional<std::string> instance_name, umask, nice, directory, process, pid_file, user;
  bool process_is_daemon = true, enable_output_logging = true;
  std::vector<std::string> path, args, remove_activities;
  std::map<std::string, std::string> environment, activities;
  std::map<std::string, Instruction> instructions;
  std::vector<int> start_levels, stop_levels;
};

void check_activity_name(const std::string& name, const model::FieldReader& reader,
                         const std::string& field) {
  auto allowed = [](char c) {
    return is_ascii_letter(c) || is_ascii_digit(c) || c == '_' || c == '-';
  };
  if (!is_nonempty_run_of(name, allowed))
    reader.fail(field, "invalid activity name \"" + name + "\" (use letters, digits, '_' and '-')");
}

Script parse(const RenderInput& input) {
  model::FieldReader reader(input.config, instance_label(input.instance.key) + " (sysvinit)");
  reader.ignore({"type", "dependencies", "credentials"});
  Script script;
  script.instance_name = reader.optional_string("instanceName");
  script.name = input.instance.name;
  reader.ignore({"name"});
  script.description = reader.string_or("description", script.name);
  script.global_instructions = reader.string_or("globalInstructions", "");
  script.initialize = reader.string_or("initialize", "");
  script.umask = read_umask(reader);
  script.nice = read_nice(reader);
  script.directory = reader.optional_string("directory");
  script.path = reader.string_list("path");
  script.environment = read_environment(reader);
  script.process = reader.optional_string("process");
  script.process_is_daemon = reader.boolean_or("processIsDaemon", true);
  script.enable_output_logging = reader.boolean_or("enableDaemonOutputLogging", true);
  script.args = reader.string_list("args");
  script.pid_file = reader.optional_string("pidFile");
  script.user = read_user(reader);
  script.reload_signal = reader.string_or("reloadSignal", "-HUP");
  std::string_view signal = script.reload_signal;
  if (!signal.empty() && signal.front() == '-') signal.remove_prefix(1);
  if (!is_nonempty_run_of(signal,
                          [](char c) { return (c >= 'A' && c <= 'Z') || is_ascii_digit(c); }))
    reader.fail("reloadSignal",
                "expected a signal such as \"-HUP\", got \"" + script.reload_signal + "\"");

  json instructions = reader.object("instructions");
  for (const auto& [activity, value] : instructions.items()) {
    check_activity_name(activity, reader, "instructions." + activity);
    model::FieldReader item(value, reader.context() + ": field instructions." + activity);
    Instruction instruction;
    instruction.activity = item.string_or("activity", activity);
    instruction.instruction = item.string_or("instruction", "");
    item.reject_unknown_fields();
    script.instructions[activity] = instruction;
  }
  json activities = reader.object("activities");
  for (const auto& [activity, value] : activities.items()) {
    check_activity_name(activity, reader, "activities." + activity);
    if (!value.is_string())
      reader.fail("activities." + activity,
                  "expected a string, got " + model::json_type_name(value));
    script.activities[activity] = value.get<std::string>();
  }
  script.remove_activities = reader.string_list("removeActivities");

  auto runlevels = reader.int_list("runlevels", 0, 6);
  auto default_start = reader.int_list("defaultStart", 0, 6);
  auto default_stop = reader.int_list("defaultStop", 0, 6);
  if (!runlevels.empty()) {
    for (int level = 0; level <= 6; ++level) {
      bool starts = std::find(runlevels.begin(), runlevels.end(), level) != runlevels.end();
      (starts ? script.start_levels : script.stop_levels).push_back(level);
    }
  } else {
    script.start_levels = default_start;
    script.stop_levels = default_stop;
  }
  reader.reject_unknown_fields();
  if (!script.process && script.activities.empty() && script.instructions.empty())
    throw Error(reader.context() + ": nothing to run: set process, instructions or activities");
  return script;
}

std::string levels_text(const std::vector<int>& levels) {
  std::string text;
  for (int level : levels) text += (text.empty() ? "" : " ") + std::to_string(level);
  return text;
}

std::string two_digits(size_t number) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02zu", number);
  return buffer;
}

// A comment line must stay one line whatever the description holds.
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return text;
}

}  // namespace

RenderedInstance render(const RenderInput& input) {
  Script script = parse(input);
  const StateDirs& dirs = input.context.dirs;
  const std::string bin = input.context.runtime + "/bin/";
  auto effective = effective_user(script.user, dirs);

  // Sequence numbers: one more than the highest dependency (reference 3.1).
  size_t sequence = 0;
  std::vector<std::string> dependency_names;
  for (const auto& key : input.instance.dependencies) {
    Info dependency = info_from_json<Info>(*input.dependency_info.at(key), instance_label(key));
    sequence = std::max(sequence, dependency.sequence + 1);
    dependency_names.push_back(dependency.name);
  }
  if (sequence > 99)
    throw instance_error(input.instance.key,
                         "the dependency chain is deeper than 99 levels; sysvinit sequence "
                         "numbers cannot order it");

  std::optional<std::string> pid_file =
      auto_pid_file(script.pid_file, script.instance_name, script.user, dirs);
  std::map<std::string, Instruction> instructions;
  std::optional<std::string> program, record, log;
  std::string status_command;
  if (script.process) {
    program = *script.process;
    record = instance_record_dir(dirs, script.name);
    const std::string base = script.instance_name.value_or(script.name);
    KeeperLaunch launch;
    launch.record = *record;
    launch.command = {*script.process};
    launch.command.insert(launch.command.end(), script.args.begin(), script.args.end());
    launch.is_daemon = script.process_is_daemon;
    // The keeper writes a foreground process's PID file, with nixproc's
    // privileges: in the runtime directory, never in a shared one.
    if (!script.process_is_daemon && !script.pid_file)
      pid_file = dirs.runtime_dir + "/" + base + ".pid";
    launch.pid_file = pid_file;
    launch.initialize = script.initialize;
    launch.user = effective;
    launch.directory = script.directory;
    launch.umask = script.umask;
    launch.nice = script.nice;
    if (script.enable_output_logging) log = instance_log_file(base, dirs);
    std::string launch_text = command_line(daemonised_keeper_command(input.context, launch, log));
    // The record, not the PID file, says what is the instance's.
    std::string target = "-r " + shell_quote(*record) + " " + shell_quote(*program);
    // Starting a running instance is a success that starts nothing.
    instructions["start"] = {
        "Starting",
        "if pidofproc " + target + " >/dev/null; then\n  true\nelse\n  " + launch_text + "\nfi"};
    instructions["stop"] = {"Stopping", "killproc " + target};
    instructions["reload"] = {"Reloading", "killproc " + target + " " + script.reload_signal};
    status_command = "statusproc " + target;
  }
  for (const auto& [activity, instruction] : script.instructions) {
    auto& target = instructions[activity];
    if (!instruction.activity.empty()) target.activity = instruction.activity;
    if (!instruction.instruction.empty()) target.instruction = instruction.instruction;
  }

  std::map<std::string, std::string> activities;
  for (const auto& [activity, instruction] : instructions)
    activities[activity] =
        "log_info_msg " +
        shell_quote(instruction.activity + " " + one_line(script.description) + "...") + "\n" +
        instruction.instruction + "\nevaluate_retval";
  if (script.process) {
    activities["status"] = status_command;
    activities["restart"] = "\"$0\" stop\nsleep 1\n\"$0\" start";
  }
  for (const auto& [activity, text] : script.activities) activities[activity] = text;
  for (const auto& activity : script.remove_activities) activities.erase(activity);

  std::vector<std::string> order;
  for (const char* first : {"start", "stop", "reload", "restart", "status"})
    if (activities.count(first)) order.push_back(first);
  for (const auto& [activity, text] : activities)
    if (std::find(order.begin(), order.end(), activity) == order.end()) order.push_back(activity);

  std::string text = "#! /bin/bash\n## BEGIN INIT INFO\n# Provides:      " + script.name + "\n";
  if (!script.start_levels.empty())
    text += "# Default-Start: " + levels_text(script.start_levels) + "\n";
  if (!script.stop_levels.empty())
    text += "# Default-Stop:  " + levels_text(script.stop_levels) + "\n";
  if (!dependency_names.empty()) {
    std::string names;
    for (const auto& name : dependency_names) names += (names.empty() ? "" : " ") + name;
    text += "# Should-Start:  " + names + "\n# Should-Stop:   " + names + "\n";
  }
  text += "# Description:   " + one_line(script.description) + "\n## END INIT INFO\n\n";
  text += ". " + shell_quote(input.context.runtime + "/share/init-functions") + "\n\n";
  if (!script.global_instructions.empty()) text += script.global_instructions + "\n";
  if (script.umask) text += "umask " + *script.umask + "\n";
  text += shell_exports(environment_with_path(script.environment, script.path));
  text += "\ncase \"$1\" in\n";
  std::string usage;
  for (const auto& activity : order) {
    text += "  " + activity + ")\n" + activities[activity] + "\n    ;;\n";
    usage += (usage.empty() ? "" : "|") + activity;
  }
  text += "  *)\n    echo \"Usage: $0 {" + usage + "}\" >&2\n    exit 1\n    ;;\nesac\n";

  RenderedInstance rendered;
  std::string script_path = "etc/rc.d/init.d/" + script.name;
  rendered.files.push_back({script_path, text, true});
  for (int level : script.start_levels)
    rendered.links.push_back(
        {"etc/rc.d/rc" + std::to_string(level) + ".d/S" + two_digits(sequence) + script.name,
         "../init.d/" + script.name});
  for (int level : script.stop_levels)
    rendered.links.push_back(
        {"etc/rc.d/rc" + std::to_string(level) + ".d/K" + two_digits(99 - sequence) + script.name,
         "../init.d/" + script.name});
  rendered.info = info_json(Info{.name = script.name,
                                 .sequence = sequence,
                                 .script = script_path,
                                 .start_levels = script.start_levels,
                                 .pid_file = pid_file,
                                 .program = program,
                                 .record = record,
                                 .log = log,
                                 .user = effective});
  return rendered;
}

}  // namespace nixproc::sysvinit
