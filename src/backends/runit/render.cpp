#include "backends/common/supervised.h"
#include "backends/runit/layout.h"
#include "backends/runit/runit.h"
#include "core/process_rules.h"

namespace nixproc::runit {

RenderedInstance render(const RenderInput& input) {
  model::FieldReader reader(input.config, "instance " + input.instance.key + " (runit)");
  RunSpec spec = read_run_spec(reader, input);
  spec.record = instance_record_dir(input.context.dirs, spec.name);
  reader.reject_unknown_fields();
  // Everything the process prints goes through the log service to svlogd.
  spec.stderr_to_stdout = true;

  Layout layout = layout_for(input.context.dirs);
  const std::string base = "etc/runit/sv/" + spec.name;
  const std::string service_log_dir = layout.log_dir + "/" + spec.name;
  RenderedInstance rendered;
  rendered.files.push_back({base + "/run", render_run_script(spec, input.context), true});
  rendered.files.push_back({base + "/log/run", log_run_script(service_log_dir), true});
  rendered.info = {
      {"service", spec.name},         {"run", base + "/run"},
      {"logRun", base + "/log/run"},  {"serviceDir", layout.service_root + "/" + spec.name},
      {"scanDir", layout.scan_dir},   {"pidFile", layout.pid_file},
      {"lockFile", layout.lock_file}, {"logFile", layout.log_file},
      {"logDir", service_log_dir}};
  if (spec.effective_user) rendered.info["user"] = *spec.effective_user;
  rendered.info["record"] = *spec.record;
  return rendered;
}

}  // namespace nixproc::runit
