#include "backends/s6/control.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <sstream>
#include <thread>

#include "backends/common/manager_keeper.h"
#include "backends/common/process_control.h"
#include "backends/s6/info.h"
#include "core/installation.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/lock.h"

namespace nixproc::s6 {

namespace {

// Instances are activated in parallel; one of them starts s6-svscan. The
// file lock keeps other nixproc processes out, the mutex other threads (a
// second flock on the same file from this process would wait for the first).
std::mutex svscan_mutex;

const std::string& required(const DeployedInstance& instance, const std::string& value,
                            const char* field) {
  if (value.empty())
    throw instance_error(instance.key,
                         std::string("the profile does not say where s6's ") + field + " is");
  return value;
}

}  // namespace

Svscan svscan_of(const DeployedInstance& instance) {
  Info info = read_info<Info>(instance);
  return {
      required(instance, info.scan_dir, "scanDir"), required(instance, info.pid_file, "pidFile"),
      required(instance, info.lock_file, "lockFile"), required(instance, info.log_file, "logFile")};
}

Service service_of(const DeployedInstance& instance) {
  Info info = read_info<Info>(instance);
  Service service;
  service.name = info.service.value_or(instance.name);
  service.dir = required(instance, info.service_dir, "serviceDir");
  service.scan_link = required(instance, info.scan_dir, "scanDir") + "/" + service.name;
  service.log_dir = info.log_dir;
  return service;
}

namespace {

ManagerProcess manager_of(const Svscan& svscan) {
  return {"s6-svscan on " + svscan.scan_dir,
          manager_record_for(svscan.pid_file, "s6-svscan"),
          svscan.pid_file,
          true,
          svscan.log_file,
          {"s6-svscan", svscan.scan_dir}};
}

}  // namespace

bool started_by_nixproc(const Svscan& svscan) {
  return manager_runs(manager_of(svscan).record);
}

// s6-svscanctl fails ("supervisor not listening") unless an s6-svscan reads
// <scan_dir>/.s6-svscan/control; -a (rescan) is harmless.
bool answers(const Svscan& svscan) {
  return fs::exists(svscan.scan_dir + "/.s6-svscan/control") &&
         s6_tool({"s6-svscanctl", "-a", svscan.scan_dir}, 30).ok();
}

bool is_running(const Svscan& svscan) {
  return started_by_nixproc(svscan) || answers(svscan);
}

void start_svscan(const Svscan& svscan, int timeout_seconds) {
  fs::make_directories(svscan.scan_dir);
  fs::make_directories(fs::dirname(svscan.pid_file));
  start_manager(manager_of(svscan), timeout_seconds);
  // It may still exit (another s6-svscan holds the directory's lock), or
  // not have made its control FIFO yet.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  while (!answers(svscan)) {
    if (!started_by_nixproc(svscan) || std::chrono::steady_clock::now() > deadline)
      throw Error("s6-svscan on " + svscan.scan_dir + " did not come up; the end of " +
                  svscan.log_file + ":\n" + fs::tail_of(svscan.log_file, 10));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void with_svscan(const Svscan& svscan, const DeployOptions& options,
                 const std::function<void()>& link) {
  std::lock_guard lock(svscan_mutex);
  fs::make_directories(fs::dirname(svscan.lock_file));
  FileLock file_lock(svscan.lock_file, true, "s6-svscan");
  if (!is_running(svscan)) start_svscan(svscan, options.activity_timeout);
  link();
  s6_tool({"s6-svscanctl", "-a", svscan.scan_dir}, 30);
}

void shut_down_if_idle(const Svscan& svscan, const DeployOptions& options) {
  std::lock_guard lock(svscan_mutex);
  if (!fs::exists(fs::dirname(svscan.lock_file))) return;
  FileLock file_lock(svscan.lock_file, true, "s6-svscan");
  if (fs::exists(svscan.scan_dir))
    for (const auto& entry : fs::list_directory(svscan.scan_dir))
      if (entry[0] != '.') return;
  // Only the s6-svscan nixproc started: one run another way stays.
  if (!started_by_nixproc(svscan)) return;
  s6_tool({"s6-svscanctl", "-t", svscan.scan_dir}, 30);
  stop_manager(manager_of(svscan), options.stop_timeout);
  // s6-svscan's control directory; a new s6-svscan makes it again.
  std::string control = svscan.scan_dir + "/.s6-svscan";
  if (fs::exists(control)) fs::remove_tree(control);
}

bool is_supervised(const std::string& dir) {
  return fs::exists(dir) && s6_tool({"s6-svok", dir}, 30).ok();
}

RunResult s6_tool(const std::vector<std::string>& argv, int timeout_seconds) {
  SpawnOptions options = capturing();
  options.timeout_seconds = timeout_seconds;
  return run(argv, options);
}

ServiceState service_state(const std::string& dir) {
  ServiceState state;
  RunResult result = s6_tool({"s6-svstat", "-o", "up,wantedup,ready,pid", dir}, 30);
  state.line = result.out.substr(0, result.out.find('\n'));
  if (!result.ok()) {
    state.line = result.out + result.err;
    return state;
  }
  // "true true false 1234" (pid -1 when down)
  std::istringstream words(state.line);
  std::string up, wanted_up, ready;
  long pid = -1;
  if (!(words >> up >> wanted_up >> ready >> pid)) return state;
  state.known = true;
  state.up = up == "true";
  state.wanted_up = wanted_up == "true";
  state.ready = ready == "true";
  state.pid = pid > 0 ? pid : 0;
  return state;
}

}  // namespace nixproc::s6
