#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

#include "backends/activity.h"
#include "backends/common/info.h"
#include "backends/common/manager_tool.h"
#include "backends/common/process_control.h"
#include "backends/systemd/info.h"
#include "backends/systemd/systemd.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/subprocess.h"

namespace nixproc::systemd {

namespace {

const std::string kPrefix = "nix-process-";

// Root manages system units; anyone else can only talk to their own manager.
bool user_mode(const DeployOptions& options) {
  if (options.user_manager) return true;
  if (::geteuid() == 0) return false;
  static std::once_flag told;
  std::call_once(
      told, [] { log::info("not running as root: deploying user units with `systemctl --user`"); });
  return true;
}

// Where the units are linked so the manager finds them (reference 8.10).
std::string target_dir(bool user) {
  if (const char* dir = std::getenv("SYSTEMD_TARGET_DIR"); dir && *dir) return dir;
  if (!user) return "/etc/systemd/system";
  if (const char* config = std::getenv("XDG_CONFIG_HOME"); config && *config)
    return std::string(config) + "/systemd/user";
  const char* home = std::getenv("HOME");
  if (!home || !*home)
    throw Error("HOME is not set, so the user's unit directory is unknown; set SYSTEMD_TARGET_DIR");
  return std::string(home) + "/.config/systemd/user";
}

ManagerTool systemctl_tool(bool user) {
  std::vector<std::string> command = {"systemctl"};
  if (user) command.push_back("--user");
  return {command, "the systemd process manager needs a running systemd"};
}

RunResult systemctl(const std::vector<std::string>& args, bool user, const DeployOptions& options) {
  return run_tool(systemctl_tool(user), args, options);
}

void systemctl_or_fail(const std::vector<std::string>& args, bool user,
                       const DeployOptions& options, const std::string& what) {
  run_tool_or_fail(systemctl_tool(user), args, options, what);
}

std::string unit_of(const DeployedInstance& instance) {
  return read_info<Info>(instance).unit.value_or(unit_name(instance.name));
}

std::string unit_file_of(const DeployedInstance& instance) {
  return stored_file(instance, read_info<Info>(instance).unit_file, "unit file");
}

bool ensure_link(const std::string& target, const std::string& link) {
  if (fs::is_symlink(link) && fs::read_link(link) == target) return false;
  if (fs::is_directory(link) && !fs::is_symlink(link)) fs::remove_tree(link);
  fs::replace_symlink(target, link);
  return true;
}

bool remove_entry(const std::string& path) {
  if (!fs::lexists(path)) return false;
  if (fs::is_directory(path) && !fs::is_symlink(path))
    fs::remove_tree(path);
  else if (::unlink(path.c_str()) != 0)
    throw Error("cannot remove " + path + ": " + fs::errno_text());
  return true;
}

// Links the unit and its .wants/ entries into `dir` (the .wants/ directory is
// a real one whose entries point at the sibling units, so nothing in it
// depends on one profile generation). Returns whether anything changed.
bool install_unit(const DeployedInstance& instance, const std::string& dir) {
  fs::make_directories(dir);
  std::string unit = unit_of(instance);
  bool changed = ensure_link(unit_file_of(instance), dir + "/" + unit);
  auto wants = read_info<Info>(instance).wants;
  std::string wants_dir = dir + "/" + unit + ".wants";
  if (wants.empty()) return remove_entry(wants_dir) || changed;
  if (fs::is_symlink(wants_dir)) changed = remove_entry(wants_dir) || changed;
  fs::make_directories(wants_dir);
  for (const auto& dependency : wants)
    changed = ensure_link("../" + dependency, wants_dir + "/" + dependency) || changed;
  for (const auto& entry : fs::list_directory(wants_dir))
    if (std::find(wants.begin(), wants.end(), entry) == wants.end())
      changed = remove_entry(wants_dir + "/" + entry) || changed;
  return changed;
}

bool remove_unit(const std::string& unit, const std::string& dir) {
  bool changed = remove_entry(dir + "/" + unit + ".wants");
  return remove_entry(dir + "/" + unit) || changed;
}

}  // namespace

// Makes the target directory's nix-process-* entries exactly the profile's,
// then lets systemd reread its units once for the whole switch.
static void prepare(const DeployedProfile& profile, const DeployOptions& options) {
  bool user = user_mode(options);
  std::string dir = target_dir(user);
  std::set<std::string> wanted;
  for (const auto& instance : profile.instances) {
    install_unit(instance, dir);
    wanted.insert(unit_of(instance));
  }
  const std::string wants_suffix = ".wants";
  for (const auto& entry : fs::list_directory(dir)) {
    if (entry.rfind(kPrefix, 0) != 0) continue;
    std::string unit = entry;
    if (unit.size() > wants_suffix.size() &&
        unit.compare(unit.size() - wants_suffix.size(), wants_suffix.size(), wants_suffix) == 0)
      unit.resize(unit.size() - wants_suffix.size());
    if (!wanted.count(unit)) remove_entry(dir + "/" + entry);
  }
  systemctl_or_fail({"daemon-reload"}, user, options, "systemd could not reload its units");
}

// `systemctl start` of a simple service returns once it was forked: the
// start counts only when the unit is still active, with the same main
// process, after the settle time every backend waits (one second).
static InstanceStatus status(const DeployedInstance& instance, const DeployOptions& options);

static void wait_until_settled(const DeployedInstance& instance, const DeployOptions& options) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  long first_pid = -1;
  for (;;) {
    InstanceStatus now = status(instance, options);
    bool same = first_pid < 0 || now.pid == first_pid;
    if (now.state != RunState::Running || !same) {
      bool user = user_mode(options);
      RunResult shown = systemctl({"status", "--no-pager", unit_of(instance)}, user, options);
      throw instance_error(instance.key, unit_of(instance) + " ended right after it started (" +
                                             now.detail + ")" +
                                             (shown.out.empty() ? "" : "\n" + shown.out));
    }
    if (first_pid < 0) first_pid = now.pid;
    if (std::chrono::steady_clock::now() >= deadline) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

static void activate(const DeployedInstance& instance, const DeployOptions& options) {
  bool user = user_mode(options);
  std::string unit = unit_of(instance);
  if (install_unit(instance, target_dir(user)))
    systemctl_or_fail({"daemon-reload"}, user, options,
                      instance_label(instance.key) + ": systemd could not reload its units");
  systemctl_or_fail({"start", unit}, user, options,
                    instance_label(instance.key) + ": " + unit + " did not start (see " +
                        tool_command_text(systemctl_tool(user), {"status", unit}) + ")");
  wait_until_settled(instance, options);
}

static void deactivate(const DeployedInstance& instance, const DeployOptions& options) {
  bool user = user_mode(options);
  std::string unit = unit_of(instance);
  RunResult result = systemctl({"stop", unit}, user, options);
  // 5: systemd does not know the unit, so nothing of it runs.
  if (!result.ok() && result.exit_code != 5)
    throw instance_error(instance.key, tool_command_text(systemctl_tool(user), {"stop", unit}) +
                                           " " + result.describe() + ": " + result.err);
  // A unit that failed (it ended right after its start) stays in systemd's
  // list until its failure is reset.
  if (result.ok() && status(instance, options).detail == "failed")
    systemctl({"reset-failed", unit}, user, options);
  remove_unit(unit, target_dir(user));
}

static InstanceStatus status(const DeployedInstance& instance, const DeployOptions& options) {
  InstanceStatus status;
  bool user = user_mode(options);
  RunResult result =
      systemctl({"show", "--property=MainPID,ActiveState", unit_of(instance)}, user, options);
  if (!result.ok()) {
    status.detail = "systemctl show " + result.describe();
    return status;
  }
  std::string state;
  size_t start = 0;
  while (start < result.out.size()) {
    size_t end = result.out.find('\n', start);
    if (end == std::string::npos) end = result.out.size();
    std::string line = result.out.substr(start, end - start);
    start = end + 1;
    if (line.rfind("ActiveState=", 0) == 0) state = line.substr(12);
    if (line.rfind("MainPID=", 0) == 0) status.pid = std::atol(line.c_str() + 8);
  }
  status.detail = state.empty() ? "no ActiveState" : state;
  if (state == "active" || state == "reloading")
    status.state = RunState::Running;
  else if (state == "inactive" || state == "failed")
    status.state = RunState::Stopped;
  if (status.state != RunState::Running) status.pid = 0;
  return status;
}

// systemctl's own exit status, its complaint passed on.
static int systemctl_activity(const char* verb, const DeployedInstance& instance,
                              const DeployOptions& options) {
  RunResult result = systemctl({verb, unit_of(instance)}, user_mode(options), options);
  if (!result.ok()) std::fprintf(stderr, "%s", result.err.c_str());
  return result.exit_code < 0 ? kActivityFailed : result.exit_code;
}

static int stop(const DeployedInstance& instance, const DeployOptions& options) {
  return systemctl_activity("stop", instance, options);
}

static int restart(const DeployedInstance& instance, const DeployOptions& options) {
  return systemctl_activity("restart", instance, options);
}

static int reload(const DeployedInstance& instance, const DeployOptions& options) {
  return systemctl_activity("reload", instance, options);
}

const Backend backend = {
    .name = "systemd",
    .description =
        "systemd units (system, or --user), linked into the unit directory and started with "
        "systemctl",
    .native_type = "systemd-unit",
    .translate = translate,
    .render = render,
    .activate = activate,
    .deactivate = deactivate,
    .status = status,
    .activities = {.stop = stop, .restart = restart, .reload = reload},
    .prepare = prepare,
};

}  // namespace nixproc::systemd
