#include "backends/common/supervised.h"
#include "backends/s6/info.h"
#include "backends/s6/layout.h"
#include "backends/s6/s6.h"
#include "core/process_rules.h"

namespace nixproc::s6 {

// The fd nixproc-foreground-proxy reports readiness on (s6's convention:
// write a newline, close it); 3 is the first fd after stdio.
constexpr int kNotificationFd = 3;

RenderedInstance render(const RenderInput& input) {
  model::FieldReader reader(input.config, instance_label(input.instance.key) + " (s6)");
  RunSpec spec = read_run_spec(reader, input);
  spec.record = instance_record_dir(input.context.dirs, spec.name);
  reader.reject_unknown_fields();
  // Everything the process prints goes through the log service to s6-log.
  spec.stderr_to_stdout = true;
  // The keeper reports readiness once the process stayed up for its settle
  // time (a daemon: once its PID file named it).
  spec.notify_fd = kNotificationFd;

  Layout layout = layout_for(input.context.dirs);
  const std::string base = "etc/s6/sv/" + spec.name;
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
  if (spec.notify_fd >= 0) {
    rendered.files.push_back(
        {base + "/notification-fd", std::to_string(spec.notify_fd) + "\n", false});
    info.notification_fd = base + "/notification-fd";
  }
  rendered.info = info_json(info);
  return rendered;
}

}  // namespace nixproc::s6
