#include "backends/common/supervised.h"
#include "backends/runit/info.h"
#include "backends/runit/layout.h"
#include "backends/runit/runit.h"
#include "core/process_rules.h"

namespace nixproc::runit {

RenderedInstance render(const RenderInput& input) {
  model::FieldReader reader(input.config, instance_label(input.instance.key) + " (runit)");
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
  Info info;
  info.service = spec.name;
  info.run = base + "/run";
  info.log_run = base + "/log/run";
  info.service_dir = layout.service_root + "/" + spec.name;
  info.scan_dir = layout.scan_dir;
  info.pid_file = layout.pid_file;
  info.lock_file = layout.lock_file;
  info.log_file = layout.log_file;
  info.log_dir = service_log_dir;
  info.user = spec.effective_user;
  info.record = *spec.record;
  rendered.info = info_json(info);
  return rendered;
}

}  // namespace nixproc::runit
