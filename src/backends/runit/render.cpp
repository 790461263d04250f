#include "backends/common/service_dir.h"
#include "backends/runit/info.h"
#include "backends/runit/layout.h"
#include "backends/runit/runit.h"

namespace nixproc::runit {

RenderedInstance render(const RenderInput& input) {
  // Everything the process prints goes through the log service to svlogd.
  RunSpec spec = read_service_spec(input, "runit");
  RenderedService service =
      render_service(input, spec, "runit", layout_for(input.context.dirs), log_run_script);
  Info info;
  static_cast<ServiceInfo&>(info) = service.info;
  service.rendered.info = info_json(info);
  return service.rendered;
}

}  // namespace nixproc::runit
