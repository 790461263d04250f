#include "model/managed_process.h"

#include <utility>

#include "core/process_rules.h"
#include "model/exec_limits.h"
#include "model/fields.h"
#include "util/error.h"
#include "util/names.h"
#include "util/quote.h"
#include "util/shell.h"

namespace nixproc::model {

static std::vector<std::string> concat(std::vector<std::string> first,
                                       const std::vector<std::string>& second) {
  first.insert(first.end(), second.begin(), second.end());
  return first;
}

void check_umask(const std::string& umask, const std::string& context) {
  std::string_view digits = umask;
  if (digits.size() == 4 && digits.front() == '0') digits.remove_prefix(1);
  if (digits.size() > 3 || !is_nonempty_run_of(digits, [](char c) { return c >= '0' && c <= '7'; }))
    throw Error(context + ": field umask: expected an octal mode such as \"022\", got " +
                quote(umask));
}

void check_nice(const std::string& nice, const std::string& context) {
  std::string_view digits = nice;
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  if (digits.size() > 2 || !is_nonempty_run_of(digits, is_ascii_digit) || std::stoi(nice) < -20 ||
      std::stoi(nice) > 19)
    throw Error(context + ": field nice: expected a level from -20 to 19, got " + quote(nice));
}

static void check_account_name(const std::string& name, const std::string& where) {
  auto tail = [](char c) {
    return is_ascii_letter(c) || is_ascii_digit(c) || c == '_' || c == '.' || c == '-';
  };
  if (name.size() > 32 || !is_nonempty_run_of(name, tail) || is_ascii_digit(name[0]) ||
      name[0] == '.' || name[0] == '-')
    throw Error(where + ": " + quote(name) + " is not a valid user or group name");
}

void check_pid_file_path(const std::string& pid_file, const FieldReader& reader) {
  if (pid_file.empty())
    reader.fail("pidFile", "empty: give the PID file's absolute path (or leave the field out)");
  if (pid_file[0] != '/')
    reader.fail("pidFile", quote(pid_file) +
                               " is not an absolute path; a process manager's working directory "
                               "is not the model's");
}

void check_credentials(const json& credentials, const std::string& context) {
  FieldReader reader(credentials, context + ": field credentials");
  for (const char* kind : {"groups", "users"}) {
    json accounts = reader.object(kind);
    for (const auto& [name, props] : accounts.items()) {
      std::string where = context + ": field credentials." + kind + "." + printable(name);
      check_account_name(name, where);
      FieldReader prop_reader(props, where);
      for (const auto& [prop, value] : props.items())
        if (!value.is_null() && !scalar_to_text(value))
          prop_reader.fail(prop,
                           "expected a string, integer or boolean, got " + json_type_name(value));
    }
  }
  reader.reject_unknown_fields();
}

ManagedProcess parse_managed_process(const Instance& instance) {
  std::string context = instance_label(instance.key);
  FieldReader pkg(instance.pkg, context);
  pkg.ignore({"type"});
  ManagedProcess process;

  auto executable = [&](const char* field) {
    auto value = pkg.optional_string(field);
    if (value && value->empty())
      pkg.fail(field, "empty: give the executable to run (or leave the field out)");
    return value;
  };
  auto argument_list = [&](const char* field) {
    auto value = pkg.optional_string_list(field);
    if (value) check_argument_lengths(*value, field, context);
    return value;
  };
  auto process_exe = executable("process");
  auto args = argument_list("args").value_or(std::vector<std::string>{});
  process.daemon = executable("daemon");
  if (!process.daemon) process.daemon = process_exe;
  auto daemon_args = argument_list("daemonArgs");
  auto daemon_extra = argument_list("daemonExtraArgs").value_or(std::vector<std::string>{});
  process.daemon_args = daemon_args ? *daemon_args : concat(args, daemon_extra);
  process.foreground_process = executable("foregroundProcess");
  if (!process.foreground_process) process.foreground_process = process_exe;
  auto fg_args = argument_list("foregroundProcessArgs");
  auto fg_extra = argument_list("foregroundProcessExtraArgs").value_or(std::vector<std::string>{});
  process.foreground_process_args = fg_args ? *fg_args : concat(args, fg_extra);

  process.instance_name = pkg.optional_string("instanceName");
  process.name = instance.name;
  process.description = pkg.string_or("description", process.name);
  process.initialize = pkg.string_or("initialize", "");
  process.pid_file = pkg.optional_string("pidFile");
  if (process.pid_file) check_pid_file_path(*process.pid_file, pkg);
  process.path = pkg.string_list("path");
  process.environment = pkg.string_map("environment");
  for (const auto& [variable, value] : process.environment)
    if (!is_shell_variable_name(variable))
      pkg.fail("environment." + variable,
               "not a valid environment variable name (use letters, digits and '_')");
  check_environment_lengths(process.environment, context);
  process.directory = pkg.optional_string("directory");
  process.umask = pkg.optional_scalar_text("umask");
  if (process.umask) check_umask(*process.umask, context);
  process.nice = pkg.optional_scalar_text("nice");
  if (process.nice) check_nice(*process.nice, context);
  process.user = pkg.optional_string("user");
  if (process.user && process.user->empty()) process.user.reset();
  process.dependencies = pkg.string_list("dependencies");
  process.credentials = pkg.object("credentials");
  check_credentials(process.credentials, context);
  process.overrides = pkg.object("overrides");
  for (const auto& [pm, override_value] : process.overrides.items())
    if (!override_value.is_object() || override_value.contains("__nixprocFunction"))
      pkg.fail("overrides." + pm, "expected an attribute set, got " +
                                      json_type_name(override_value) +
                                      (override_value.contains("__nixprocFunction")
                                           ? " (function overrides cannot be carried as data; "
                                             "write the changed fields as an attribute set)"
                                           : ""));
  process.post_install = pkg.string_or("postInstall", "");
  pkg.ignore({"name"});
  pkg.reject_unknown_fields();

  if (!process.daemon && !process.foreground_process)
    throw Error(context + ": no process to run: set process, daemon or foregroundProcess");
  auto environment = environment_with_path(process.environment, process.path);
  if (process.daemon) check_exec_size(process.daemon_args, "daemonArgs", environment, context);
  if (process.foreground_process)
    check_exec_size(process.foreground_process_args, "foregroundProcessArgs", environment, context);
  return process;
}

json common_settings(const ManagedProcess& process) {
  return {{"name", process.name},
          {"initialize", process.initialize},
          {"path", process.path},
          {"environment", process.environment},
          {"dependencies", process.dependencies},
          {"credentials", process.credentials}};
}

void copy_optional_settings(const ManagedProcess& process, json& target) {
  for (const auto& [field, value] : {std::pair{"instanceName", &process.instance_name},
                                     {"pidFile", &process.pid_file},
                                     {"directory", &process.directory},
                                     {"umask", &process.umask},
                                     {"nice", &process.nice},
                                     {"user", &process.user}})
    if (*value) target[field] = **value;
}

}  // namespace nixproc::model
