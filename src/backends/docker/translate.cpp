#include "backends/common/original_override.h"
#include "backends/common/supervised.h"
#include "backends/docker/docker.h"
#include "util/error.h"

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

// The original split overrides.docker into `image` (dockerTools.buildImage's
// arguments) and `container` (createDockerContainer's). nixproc builds no
// image, so `image` is refused; `container`'s fields are nixproc's own, with
// `cmd` as process and args. The image and store settings do not apply to
// nixproc's containers and are dropped.
json adapt_override(const json& override_value, const std::string& where) {
  if (!override_value.is_object()) return override_value;
  json result = override_value;
  if (result.contains("image"))
    throw Error(where +
                ".image: nixproc builds each container's root file system itself, so "
                "there is no image to override; set the container's fields instead");
  auto container = result.find("container");
  if (container == result.end()) return result;
  if (!container->is_object())
    throw Error(where + ".container: expected an attribute set of createDockerContainer fields");
  json fields = *container;
  result.erase("container");
  for (const char* dropped : {"dockerImage", "dockerImageTag", "useHostNixStore", "storePaths"})
    fields.erase(dropped);
  if (auto network = fields.find("useHostNetwork"); network != fields.end()) {
    if (*network != true)
      throw Error(where +
                  ".container.useHostNetwork: nixproc's containers always use the host "
                  "network");
    fields.erase("useHostNetwork");
  }
  if (auto cmd = fields.find("cmd"); cmd != fields.end()) {
    if (!cmd->is_array() || cmd->empty() || !(*cmd)[0].is_string())
      throw Error(where + ".container.cmd: expected a list of words, the program first");
    json words = *cmd;
    fields.erase("cmd");
    fields["process"] = words[0];
    fields["args"] = json(words.begin() + 1, words.end());
  }
  for (const auto& [key, value] : fields.items()) {
    if (result.contains(key))
      throw Error(where + ": both container." + key + " and " + key + " are given; give one");
    result[key] = value;
  }
  return result;
}

}  // namespace nixproc::docker
