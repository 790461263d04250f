#include "backends/runit/control.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "backends/common/manager_keeper.h"
#include "backends/common/process_control.h"
#include "backends/runit/info.h"
#include "daemon/instance_control.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/lock.h"

namespace nixproc::runit {

namespace {

// Instances are activated in parallel; one of them starts runsvdir. The file
// lock keeps other nixproc processes out, the mutex other threads (a second
// flock on the same file from this process would wait for the first).
std::mutex runsvdir_mutex;

// runsvdir's readproctitle log argument: runsvdir writes its own and its
// runsv children's error messages into it, visible with ps. It must be at
// least seven characters long; the dots are where messages go.
const std::string kTitleLog = "log: " + std::string(250, '.');

const std::string& required(const DeployedInstance& instance, const std::string& value,
                            const char* field) {
  if (value.empty())
    throw instance_error(instance.key,
                         std::string("the profile does not say where runit's ") + field + " is");
  return value;
}

ManagerProcess manager_of(const Runsvdir& runsvdir) {
  // -P puts each runsv into a session of its own.
  return {"runsvdir on " + runsvdir.scan_dir,
          manager_record_for(runsvdir.pid_file, "runsvdir"),
          runsvdir.pid_file,
          true,
          runsvdir.log_file,
          {"runsvdir", "-P", runsvdir.scan_dir, kTitleLog}};
}

void start_runsvdir(const Runsvdir& runsvdir, const DeployOptions& options) {
  fs::make_directories(runsvdir.scan_dir);
  fs::make_directories(fs::dirname(runsvdir.pid_file));
  start_manager(manager_of(runsvdir), options.activity_timeout);
}

// The PID of the runsvdir nixproc started, 0 when none runs.
pid_t runsvdir_pid(const Runsvdir& runsvdir) {
  return daemon::inspect_instance(manager_of(runsvdir).record).main;
}

}  // namespace

Runsvdir runsvdir_of(const DeployedInstance& instance) {
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

bool is_running(const Runsvdir& runsvdir) {
  return manager_runs(manager_of(runsvdir).record);
}

void with_runsvdir(const Runsvdir& runsvdir, const DeployOptions& options,
                   const std::function<void()>& link) {
  std::lock_guard lock(runsvdir_mutex);
  fs::make_directories(fs::dirname(runsvdir.lock_file));
  FileLock file_lock(runsvdir.lock_file, true, "runsvdir");
  if (!is_running(runsvdir)) start_runsvdir(runsvdir, options);
  link();
}

void shut_down_if_idle(const Runsvdir& runsvdir, const DeployOptions& options) {
  std::lock_guard lock(runsvdir_mutex);
  if (!fs::exists(fs::dirname(runsvdir.lock_file))) return;
  FileLock file_lock(runsvdir.lock_file, true, "runsvdir");
  for (const auto& entry : fs::list_directory(runsvdir.scan_dir))
    if (entry[0] != '.') return;
  if (!is_running(runsvdir)) return;
  // HUP: runsvdir TERMs every runsv it still watches, then exits.
  daemon::signal_instance(manager_of(runsvdir).record, SIGHUP);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.stop_timeout);
  while (is_running(runsvdir) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  stop_manager(manager_of(runsvdir), options.stop_timeout);
}

void nudge(const Runsvdir& runsvdir) {
  pid_t pid = runsvdir_pid(runsvdir);
  if (pid == 0) return;
  std::string stderr_path = "/proc/" + std::to_string(pid) + "/fd/2";
  int fd = ::open(stderr_path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return;
  struct stat info {};
  // Only its own log pipe; a runsvdir without the log argument just looks later.
  if (::fstat(fd, &info) == 0 && S_ISFIFO(info.st_mode)) {
    [[maybe_unused]] ssize_t written = ::write(fd, ".", 1);
  }
  ::close(fd);
}

std::string runsvdir_messages(const Runsvdir& runsvdir) {
  pid_t pid = runsvdir_pid(runsvdir);
  if (pid == 0) return "";
  std::string cmdline;
  try {
    cmdline = fs::read_file("/proc/" + std::to_string(pid) + "/cmdline");
  } catch (const Error&) {
    return "";
  }
  // runsvdir -P <scan dir> <log>: the log is everything after the scan dir.
  size_t start = cmdline.find(runsvdir.scan_dir + '\0');
  if (start == std::string::npos) return "";
  std::string log = cmdline.substr(start + runsvdir.scan_dir.size() + 1);
  for (char& c : log)
    if (c == '\0') c = ' ';
  if (log.rfind("log: ", 0) == 0) log.erase(0, 5);
  size_t first = log.find_first_not_of(". \n");
  size_t last = log.find_last_not_of(". \n");
  return first == std::string::npos ? "" : log.substr(first, last - first + 1);
}

bool is_supervised(const std::string& dir) {
  // What sv does: runsv keeps supervise/ok open for reading; without a
  // reader, opening it for writing fails (ENXIO).
  int fd = ::open((dir + "/supervise/ok").c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

RunResult sv(const std::vector<std::string>& args, int timeout_seconds) {
  std::vector<std::string> argv = {"sv"};
  argv.insert(argv.end(), args.begin(), args.end());
  SpawnOptions options = capturing();
  options.timeout_seconds = timeout_seconds;
  return run(argv, options);
}

ServiceState service_state(const std::string& dir) {
  ServiceState state;
  RunResult result = sv({"status", dir}, 30);
  std::string line = result.out.substr(0, result.out.find('\n'));
  state.line = line.empty() ? result.out + result.err : line;
  // "run: <dir>: (pid 123) 5s; run: log: (pid 122) 5s"
  // "down: <dir>: 1s, normally up, want up; run: log: (pid 122) 5s"
  size_t colon = line.find(": ");
  if (colon == std::string::npos) return state;
  std::string word = line.substr(0, colon);
  std::string prefix = word + ": " + dir + ": ";
  if (line.rfind(prefix, 0) != 0 || (word != "run" && word != "down" && word != "finish"))
    return state;
  std::string rest = line.substr(prefix.size());
  rest = rest.substr(0, rest.find("; "));  // the log service's part follows
  state.state = word;
  if (rest.rfind("(pid ", 0) == 0) state.pid = std::atol(rest.c_str() + 5);
  state.want_up = rest.find(", want up") != std::string::npos;
  return state;
}

}  // namespace nixproc::runit
