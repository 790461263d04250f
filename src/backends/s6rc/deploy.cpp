#include <cstdio>

#include "backends/activity.h"
#include "backends/common/info.h"
#include "backends/common/process_control.h"
#include "backends/s6/control.h"
#include "backends/s6rc/info.h"
#include "backends/s6rc/layout.h"
#include "backends/s6rc/s6rc.h"
#include "backends/s6rc/source_check.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/subprocess.h"

namespace nixproc::s6rc {

namespace {

// Runs one of s6-rc's tools; throws with its output when it fails.
void s6_rc(const std::vector<std::string>& argv, int timeout_seconds, const std::string& what) {
  RunResult result = s6::s6_tool(argv, timeout_seconds);
  if (result.ok()) return;
  std::string command;
  for (const auto& word : argv) command += (command.empty() ? "" : " ") + word;
  throw Error(what + ": `" + command + "` " + result.describe() +
              (result.err.empty() && result.out.empty() ? "" : ":\n" + result.out + result.err));
}

std::string milliseconds(int seconds) {
  return std::to_string(seconds * 1000);
}

std::string live_dir(const DeployedInstance& instance) {
  return read_info<Info>(instance).live_dir;
}

std::string service(const DeployedInstance& instance) {
  return read_info<Info>(instance).service.value_or(instance.name);
}

// Where s6-rc-init put the service directory s6-supervise runs a longrun in.
std::string supervised_dir(const DeployedInstance& instance) {
  return live_dir(instance) + "/servicedirs/" +
         read_info<Info>(instance).supervised.value_or(instance.name);
}

void change(const DeployedInstance& instance, const char* direction, int timeout_seconds) {
  s6_rc({"s6-rc", "-l", live_dir(instance), "-t", milliseconds(timeout_seconds), direction,
         "change", service(instance)},
        timeout_seconds + 30,
        instance_label(instance.key) + ": " + (direction[1] == 'u' ? "starting " : "stopping ") +
            service(instance));
}

}  // namespace

// Compiles the profile into its own database (once: the name comes from the
// profile) and makes it s6-rc's live database. s6-rc-update keeps running
// whatever is unchanged; the switch has already stopped what changed.
static void prepare(const DeployedProfile& profile, const DeployOptions& options) {
  if (profile.path.empty() || !profile.params.is_object()) return;
  Layout layout = layout_for(StateDirs::from_params(profile.params));
  std::string source = profile.path + "/" + kSourceDir;
  if (!fs::is_directory(source))
    throw Error("profile " + profile.path + " has no s6-rc source directory " + kSourceDir);
  std::string database =
      layout.compile_dir + "/compiled-" + sha256_hex(fs::real_path(profile.path)).substr(0, 32);
  if (!fs::exists(database)) {
    auto problems = source_problems(source);
    if (!problems.empty()) {
      std::string list;
      for (const auto& problem : problems) list += "\n  " + problem;
      throw Error("the s6-rc definitions in " + source + " are inconsistent:" + list);
    }
    fs::make_directories(layout.compile_dir);
    // Compiled beside its final name and renamed, so a crash never leaves a
    // half-written database under that name.
    std::string partial = database + ".partial";
    if (fs::lexists(partial)) fs::remove_tree(partial);
    s6_rc({"s6-rc-compile", partial, source}, options.activity_timeout,
          "compiling the s6-rc database");
    if (::rename(partial.c_str(), database.c_str()) != 0)
      throw Error("cannot rename " + partial + " to " + database + ": " + fs::errno_text());
  }
  s6::with_svscan(layout.svscan, options, [] {});
  std::string current =
      fs::is_symlink(layout.current_link) ? fs::read_link(layout.current_link) : "";
  if (!fs::exists(layout.live_dir)) {
    fs::make_directories(fs::dirname(layout.live_dir));
    s6_rc({"s6-rc-init", "-c", database, "-l", layout.live_dir, layout.svscan.scan_dir},
          options.activity_timeout, "starting s6-rc");
  } else if (current != database) {
    s6_rc({"s6-rc-update", "-l", layout.live_dir, database}, options.activity_timeout,
          "switching s6-rc to the new database");
  }
  if (current != database) {
    fs::replace_symlink(database, layout.current_link);
    if (!current.empty() && fs::exists(current)) fs::remove_tree(current);
  }
}

static void activate(const DeployedInstance& instance, const DeployOptions& options) {
  change(instance, "-u", options.activity_timeout);
}

static void deactivate(const DeployedInstance& instance, const DeployOptions& options) {
  if (!fs::exists(live_dir(instance))) return;  // s6-rc never ran here: nothing is up
  change(instance, "-d", options.stop_timeout + 5);
}

static InstanceStatus status(const DeployedInstance& instance, const DeployOptions&) {
  InstanceStatus status;
  status.state = RunState::Stopped;
  if (!fs::exists(live_dir(instance))) {
    status.detail = "s6-rc is not running here";
    return status;
  }
  if (read_info<Info>(instance).service_type == "bundle") {
    // Its contents are instances too, each with its own status.
    status.state = RunState::Unknown;
    status.detail = "a bundle: its contents report their state";
    return status;
  }
  if (read_info<Info>(instance).service_type == "oneshot") {
    RunResult active = s6::s6_tool({"s6-rc", "-l", live_dir(instance), "-a", "list"}, 30);
    if (!active.ok()) {
      status.state = RunState::Unknown;
      status.detail = "s6-rc -a list " + active.describe();
      return status;
    }
    std::string line, name = service(instance);
    for (char c : active.out + "\n") {
      if (c != '\n') {
        line += c;
        continue;
      }
      if (line == name) status.state = RunState::Running;
      line.clear();
    }
    status.detail = status.state == RunState::Running ? "oneshot up" : "oneshot down";
    return status;
  }
  std::string dir = supervised_dir(instance);
  if (!fs::exists(dir)) {
    status.detail = "not in s6-rc's live state";
    return status;
  }
  s6::ServiceState state = s6::service_state(dir);
  if (!state.known) {
    status.state = RunState::Unknown;
    status.detail = state.line;
  } else if (state.up) {
    status.state = RunState::Running;
    status.pid = state.pid;
    status.detail = state.ready ? "up, ready" : "up";
  } else {
    status.detail = state.wanted_up ? "down, restarting" : "down";
  }
  return status;
}

static int reload(const DeployedInstance& instance, const DeployOptions&) {
  if (read_info<Info>(instance).service_type != "longrun") return kUnimplemented;
  RunResult result = s6::s6_tool({"s6-svc", "-h", supervised_dir(instance)}, 30);
  std::fputs(result.err.c_str(), stderr);
  return result.ok() ? kActivityDone : kActivityFailed;
}

const Backend backend = {
    .name = "s6-rc",
    .description =
        "s6-rc service definitions compiled into a database: longruns with s6-log companions, "
        "oneshots for daemons, a default bundle; run under the state directory's s6-svscan",
    .native_type = "s6-rc-service",
    .translate = translate,
    .render = render,
    .activate = activate,
    .deactivate = deactivate,
    .status = status,
    .activities = {.reload = reload},
    .profile_files = profile_files,
    .prepare = prepare,
};

}  // namespace nixproc::s6rc
