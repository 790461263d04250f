#include "backends/common/service_dir.h"
#include "backends/s6/info.h"
#include "backends/s6/layout.h"
#include "backends/s6/s6.h"

namespace nixproc::s6 {

// The fd nixproc-foreground-proxy reports readiness on (s6's convention:
// write a newline, close it); 3 is the first fd after stdio.
constexpr int kNotificationFd = 3;

RenderedInstance render(const RenderInput& input) {
  // Everything the process prints goes through the log service to s6-log.
  RunSpec spec = read_service_spec(input, "s6");
  // The keeper reports readiness once the process stayed up for its settle
  // time (a daemon: once its PID file named it).
  spec.notify_fd = kNotificationFd;
  RenderedService service =
      render_service(input, spec, "s6", layout_for(input.context.dirs), log_run_script);
  Info info;
  static_cast<ServiceInfo&>(info) = service.info;
  if (spec.notify_fd >= 0) {
    service.rendered.files.push_back(
        {service.base + "/notification-fd", std::to_string(spec.notify_fd) + "\n", false});
    info.notification_fd = service.base + "/notification-fd";
  }
  service.rendered.info = info_json(info);
  return service.rendered;
}

}  // namespace nixproc::s6
