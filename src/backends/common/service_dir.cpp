#include "backends/common/service_dir.h"

#include "core/process_rules.h"
#include "model/fields.h"

namespace nixproc {

ServiceLayout service_layout(const StateDirs& dirs, const std::string& pm,
                             const std::string& scanner) {
  ServiceLayout layout;
  layout.scan_dir = dirs.runtime_dir + "/nixproc-" + pm + "/service";
  layout.service_root = dirs.lib_dir + "/nixproc-" + pm + "/sv";
  layout.pid_file = dirs.runtime_dir + "/nixproc-" + scanner + ".pid";
  layout.lock_file = dirs.runtime_dir + "/nixproc-" + pm + "/lock";
  layout.log_file = dirs.log_dir + "/nixproc-" + scanner + ".log";
  layout.log_dir = dirs.log_dir;
  return layout;
}

RunSpec read_service_spec(const RenderInput& input, const std::string& pm) {
  model::FieldReader reader(input.config, instance_label(input.instance.key) + " (" + pm + ")");
  RunSpec spec = read_run_spec(reader, input);
  spec.record = instance_record_dir(input.context.dirs, spec.name);
  reader.reject_unknown_fields();
  spec.stderr_to_stdout = true;
  return spec;
}

RenderedService render_service(const RenderInput& input, const RunSpec& spec, const std::string& pm,
                               const ServiceLayout& layout,
                               std::string (*log_run)(const std::string& log_dir)) {
  RenderedService out;
  out.base = "etc/" + pm + "/sv/" + spec.name;
  const std::string service_log_dir = layout.log_dir + "/" + spec.name;
  out.rendered.files.push_back({out.base + "/run", render_run_script(spec, input.context), true});
  out.rendered.files.push_back({out.base + "/log/run", log_run(service_log_dir), true});
  ServiceInfo& info = out.info;
  info.service = spec.name;
  info.run = out.base + "/run";
  info.log_run = out.base + "/log/run";
  info.service_dir = layout.service_root + "/" + spec.name;
  info.scan_dir = layout.scan_dir;
  info.pid_file = layout.pid_file;
  info.lock_file = layout.lock_file;
  info.log_file = layout.log_file;
  info.log_dir = service_log_dir;
  info.user = spec.effective_user;
  info.record = *spec.record;
  info.runtime = input.context.runtime;
  return out;
}

}  // namespace nixproc
