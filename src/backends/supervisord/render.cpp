#include "backends/common/supervised.h"
#include "backends/supervisord/info.h"
#include "backends/supervisord/ini.h"
#include "backends/supervisord/layout.h"
#include "backends/supervisord/supervisord.h"
#include "core/process_rules.h"
#include "util/error.h"
#include "util/names.h"
#include "util/shell.h"

namespace nixproc::supervisord {

namespace {

bool is_key_character(char c) {
  return (c >= 'a' && c <= 'z') || is_ascii_digit(c) || c == '_';
}

// Keys nixproc writes itself; `program` may not set them.
bool is_reserved(const std::string& key) {
  for (const char* reserved : {"command", "priority", "process_name", "numprocs"})
    if (key == reserved) return true;
  return false;
}

}  // namespace

RenderedInstance render(const RenderInput& input) {
  model::FieldReader reader(input.config, instance_label(input.instance.key) + " (supervisord)");
  json program = reader.object("program");
  RunSpec spec = read_run_spec(reader, input);
  spec.record = instance_record_dir(input.context.dirs, spec.name);
  reader.reject_unknown_fields();
  spec.stderr_to_stdout = true;

  // Dependencies first (reference 3.3): one more than the highest dependency.
  int priority = 1;
  for (const auto& [key, info] : input.dependency_info)
    priority = std::max(priority, info_from_json<Info>(*info, instance_label(key)).priority + 1);

  Layout layout = layout_for(input.context.dirs);
  RenderedFile run_script{"libexec/nixproc/" + spec.name + "-run",
                          render_run_script(spec, input.context), true};
  std::string where = reader.context();
  std::string conf = "[program:" + spec.name + "]\n";
  conf += "command=" + ini_value(shell_quote(stored_path(input.store, run_script)), where) + "\n";
  conf += "priority=" + std::to_string(priority) + "\n";
  std::map<std::string, std::string> keys = {
      {"autostart", "true"},
      {"autorestart", "true"},
      {"startsecs", "1"},
      // Signal the run script's whole process group: a stop during a slow
      // `initialize` would otherwise leave its commands running.
      {"stopasgroup", "true"},
      {"killasgroup", "true"},
      {"redirect_stderr", "true"},
      {"stdout_logfile", layout.log_dir + "/" + spec.name + ".log"},
  };
  for (const auto& [key, value] : program.items()) {
    std::string field = "program." + key;
    if (!is_nonempty_run_of(key, is_key_character))
      reader.fail(field, "not a supervisord program key (lower-case letters, digits and '_')");
    if (is_reserved(key)) reader.fail(field, "nixproc sets " + key + " itself");
    auto text = model::scalar_to_text(value);
    if (!text) reader.fail(field, "expected a string, number or boolean");
    if (value.is_boolean()) text = value.get<bool>() ? "true" : "false";
    keys[key] = *text;
  }
  for (const auto& [key, value] : keys)
    conf += key + "=" + ini_value(value, where + ": program." + key) + "\n";

  RenderedInstance rendered;
  rendered.files.push_back(run_script);
  std::string conf_path = "conf.d/" + spec.name + ".conf";
  rendered.files.push_back({conf_path, conf, false});
  rendered.info = info_json(Info{.program = spec.name,
                                 .conf = conf_path,
                                 .priority = priority,
                                 .conf_dir = layout.conf_dir,
                                 .socket = layout.socket,
                                 .pid_file = layout.pid_file,
                                 .log_file = layout.log_file,
                                 .user = spec.effective_user,
                                 .record = *spec.record,
                                 .runtime = input.context.runtime});
  return rendered;
}

std::vector<RenderedFile> profile_files(const Context& context, const std::vector<const json*>&) {
  return {{"supervisord.conf", base_config(layout_for(context.dirs)), false}};
}

}  // namespace nixproc::supervisord
