#include <chrono>
#include <cstdlib>
#include <map>
#include <thread>

#include "backends/activity.h"
#include "backends/common/info.h"
#include "backends/common/manager_tool.h"
#include "backends/common/process_control.h"
#include "backends/docker/docker.h"
#include "backends/docker/info.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/subprocess.h"

namespace nixproc::docker {

std::string docker_command(const DeployOptions& options) {
  if (!options.docker_command.empty()) return options.docker_command;
  const char* variable = std::getenv("NIXPROC_DOCKER_COMMAND");
  return variable && *variable ? variable : "docker";
}

namespace {

ManagerTool docker_tool(const DeployOptions& options) {
  return {{docker_command(options)},
          "install docker or podman, or name it with --docker-command or NIXPROC_DOCKER_COMMAND"};
}

// One call of the docker-compatible tool, output captured.
RunResult docker(const DeployOptions& options, const std::vector<std::string>& args) {
  return run_tool(docker_tool(options), args, options);
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Runs a step that must succeed; the error names the instance and the command.
std::string docker_checked(const DeployedInstance& instance, const DeployOptions& options,
                           const std::vector<std::string>& args) {
  return run_tool_or_fail(docker_tool(options), args, options, instance_label(instance.key)).out;
}

struct Names {
  std::string container, image, image_label, container_label;
};

Names names_of(const DeployedInstance& instance) {
  Info info = read_info<Info>(instance);
  return {info.container.value_or("nixproc-" + instance.name),
          info.image.value_or(instance.name + ":latest"), info.image_label, info.container_label};
}

// The content of one of the instance's docker files (a member of its info).
std::string instance_file(const DeployedInstance& instance, std::string Info::*file,
                          const char* what) {
  return fs::read_file(stored_file(instance, read_info<Info>(instance).*file,
                                   std::string("docker ") + what + " file"));
}

std::map<std::string, std::string> settings_of(const DeployedInstance& instance) {
  std::map<std::string, std::string> settings;
  std::string text = instance_file(instance, &Info::settings, "settings");
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (auto equals = line.find('='); equals != std::string::npos)
      settings[line.substr(0, equals)] = line.substr(equals + 1);
    start = end + 1;
  }
  return settings;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

struct ContainerState {
  bool exists = false, running = false;
  long pid = 0;
  std::string label;
};

ContainerState container_state(const DeployOptions& options, const std::string& container) {
  RunResult result =
      docker(options, {"container", "inspect", "--format",
                       "{{.State.Running}} {{.State.Pid}} {{index .Config.Labels \"" +
                           std::string(kContainerLabel) + "\"}}",
                       container});
  ContainerState state;
  if (!result.ok()) return state;  // no such container
  std::vector<std::string> words;
  size_t start = 0;
  std::string line = trimmed(result.out);
  while (start <= line.size()) {
    size_t end = line.find(' ', start);
    if (end == std::string::npos) end = line.size();
    words.push_back(line.substr(start, end - start));
    start = end + 1;
  }
  state.exists = true;
  state.running = !words.empty() && words[0] == "true";
  if (words.size() > 1) state.pid = std::atol(words[1].c_str());
  if (words.size() > 2 && words[2] != "<no value>") state.label = words[2];
  return state;
}

int stop_timeout(const DeployedInstance& instance, const DeployOptions& options) {
  auto settings = settings_of(instance);
  auto it = settings.find("dockerStopTimeout");
  return it != settings.end() ? std::atoi(it->second.c_str()) : options.stop_timeout;
}

void stop_container(const DeployedInstance& instance, const DeployOptions& options,
                    const std::string& container) {
  docker_checked(instance, options,
                 {"stop", "-t", std::to_string(stop_timeout(instance, options)), container});
}

// Imports the image unless this generation's is already there.
void ensure_image(const DeployedInstance& instance, const DeployOptions& options,
                  const Names& names) {
  RunResult current = docker(
      options, {"image", "inspect", "--format",
                "{{index .Config.Labels \"" + std::string(kImageLabel) + "\"}}", names.image});
  if (current.ok() && trimmed(current.out) == names.image_label) return;
  // Another generation's image would stay behind untagged: remove it first
  // (its container is gone already; an image still in use elsewhere stays).
  if (current.ok()) docker(options, {"rmi", names.image});
  auto settings = settings_of(instance);
  std::string tarball = settings["dockerImage"];
  if (tarball.empty()) throw instance_error(instance.key, "its docker settings name no image");
  std::string cmd = trimmed(instance_file(instance, &Info::cmd, "cmd"));
  docker_checked(
      instance, options,
      {"import", "--change", "CMD " + cmd, "--change", std::string("ENV ") + kImagePath, "--change",
       std::string("LABEL ") + kImageLabel + "=" + names.image_label, tarball, names.image});
}

// Waits briefly for a just-started container to stay up, so that a process
// that fails at once fails the switch (with its output).
void check_stays_up(const DeployedInstance& instance, const DeployOptions& options,
                    const Names& names) {
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (container_state(options, names.container).running) continue;
    RunResult logs = docker(options, {"logs", "--tail", "20", names.container});
    throw instance_error(instance.key, "container " + names.container +
                                           " exited right after it started; its output:\n" +
                                           trimmed(logs.out + logs.err));
  }
}

}  // namespace

static void activate(const DeployedInstance& instance, const DeployOptions& options) {
  Names names = names_of(instance);
  ContainerState state = container_state(options, names.container);
  if (state.exists && state.label != names.container_label) {
    // Left by another generation (or made by hand): not this one's container.
    log::detail("removing the stale container " + names.container);
    docker_checked(instance, options, {"rm", "--force", names.container});
    state = {};
  }
  ensure_image(instance, options, names);
  if (!state.exists) {
    std::vector<std::string> args = {"create"};
    for (auto& token : lines_of(instance_file(instance, &Info::create_params, "createParams")))
      args.push_back(token);
    args.insert(args.end(), {"--label", std::string(kContainerLabel) + "=" + names.container_label,
                             "--name", names.container, names.image});
    docker_checked(instance, options, args);
  }
  if (!state.running) {
    docker_checked(instance, options, {"start", names.container});
    check_stays_up(instance, options, names);
  }
}

static void deactivate(const DeployedInstance& instance, const DeployOptions& options) {
  Names names = names_of(instance);
  ContainerState state = container_state(options, names.container);
  if (state.running) stop_container(instance, options, names.container);
  if (state.exists) docker_checked(instance, options, {"rm", "--force", names.container});
  if (docker(options, {"image", "inspect", "--format", "{{.Id}}", names.image}).ok())
    docker_checked(instance, options, {"rmi", names.image});
}

static InstanceStatus status(const DeployedInstance& instance, const DeployOptions& options) {
  InstanceStatus status;
  Names names = names_of(instance);
  ContainerState state;
  try {
    state = container_state(options, names.container);
  } catch (const Error& error) {
    status.detail = error.what();
    return status;
  }
  if (!state.exists) {
    status.state = RunState::Stopped;
    status.detail = "no container " + names.container;
  } else if (state.running) {
    status.state = RunState::Running;
    status.pid = state.pid;
    status.detail = "container " + names.container;
  } else {
    status.state = RunState::Stopped;
    status.detail = "container " + names.container + " is not running";
  }
  return status;
}

// Stopped, the container stays for the next start.
static int stop(const DeployedInstance& instance, const DeployOptions& options) {
  Names names = names_of(instance);
  if (container_state(options, names.container).running)
    stop_container(instance, options, names.container);
  return kActivityDone;
}

static int reload(const DeployedInstance& instance, const DeployOptions& options) {
  docker_checked(instance, options, {"kill", "--signal", "HUP", names_of(instance).container});
  return kActivityDone;
}

const Backend backend = {
    .name = "docker",
    .description =
        "a container per process (docker or podman: --docker-command), host network, shared "
        "state dir",
    .native_type = "docker-container",
    .translate = translate,
    .render = render,
    .activate = activate,
    .deactivate = deactivate,
    .status = status,
    .activities = {.stop = stop, .reload = reload},
    .adapt_override = adapt_override,
};

}  // namespace nixproc::docker
