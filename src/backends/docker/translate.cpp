#include "backends/common/supervised.h"
#include "backends/docker/docker.h"

namespace nixproc::docker {

// The createDockerContainer arguments: the shared run-script fields (the
// foreground mode preferred, a daemon-only process wrapped by the foreground
// proxy), plus what the container gets:
// - containerCredentials: the users and groups, created inside the container
//   when it starts (never on the host, as in the original);
// - hostPaths: host directories mounted read-only at the same place (the
//   host's /usr and nixproc's helper directory, which models refer to);
// - mapStateDirVolumes: directories shared read-write with the host;
// - dockerCreateParameters: extra `create` options (a list of {name, value?}
//   or an attribute set name -> value), before nixproc's own;
// - dockerStopTimeout (optional): seconds `stop` waits before KILL.
json translate(const model::ManagedProcess& process, const Context& context) {
  json config = translate_supervised(process, context);
  config["containerCredentials"] = config["credentials"];
  config.erase("credentials");
  json host_paths = {"/usr"};
  const std::string& libexec = context.installation.libexec_dir;
  if (!libexec.empty() && libexec != "/usr" && libexec.rfind("/usr/", 0) != 0)
    host_paths.push_back(libexec);
  config["hostPaths"] = host_paths;
  config["mapStateDirVolumes"] = {context.dirs.state_dir};
  config["dockerCreateParameters"] = json::array();
  return config;
}

}  // namespace nixproc::docker
