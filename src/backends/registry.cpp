#include "backends/backend.h"
#include "backends/bsdrc/bsdrc.h"
#include "backends/cygrunsrv/cygrunsrv.h"
#include "backends/disnix/disnix.h"
#include "backends/docker/docker.h"
#include "backends/launchd/launchd.h"
#include "backends/runit/runit.h"
#include "backends/s6/s6.h"
#include "backends/s6rc/s6rc.h"
#include "backends/supervisord/supervisord.h"
#include "backends/systemd/systemd.h"
#include "backends/sysvinit/sysvinit.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/quote.h"

namespace nixproc {

const std::vector<const Backend*>& all_backends() {
  static const std::vector<const Backend*> backends = {
      &sysvinit::backend, &disnix::backend, &supervisord::backend, &s6::backend,
      &runit::backend,    &docker::backend, &s6rc::backend,        &systemd::backend,
      &launchd::backend,  &bsdrc::backend,  &cygrunsrv::backend};
  return backends;
}

const Backend& find_backend(const std::string& name) {
  std::string known;
  for (const Backend* backend : all_backends()) {
    if (name == backend->name) return *backend;
    known += std::string(known.empty() ? "" : ", ") + backend->name;
  }
  throw Error("unknown process manager " + quote(name) + " (known: " + known +
              "; `none` builds the process-manager-agnostic JSON)");
}

std::vector<std::string> config_types() {
  std::vector<std::string> types;
  for (const Backend* backend : all_backends())
    if (backend->native_type) types.push_back(backend->native_type);
  return types;
}

std::string stored_path(const Store& store, const RenderedFile& file) {
  return store.file_path(fs::basename(file.path), file.content, file.executable);
}

}  // namespace nixproc
