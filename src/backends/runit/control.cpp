#include "backends/runit/control.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "daemon/instance_control.h"
#include "util/error.h"
#include "util/fs.h"

namespace nixproc::runit {

namespace {

// runsvdir's readproctitle log argument: runsvdir writes its own and its
// runsv children's error messages into it, visible with ps. It must be at
// least seven characters long; the dots are where messages go.
const std::string kTitleLog = "log: " + std::string(250, '.');

// -P puts each runsv into a session of its own.
std::vector<std::string> command(const Scanner& runsvdir) {
  return {"runsvdir", "-P", runsvdir.scan_dir, kTitleLog};
}

// The PID of the runsvdir nixproc started, 0 when none runs.
pid_t runsvdir_pid(const Scanner& runsvdir) {
  return daemon::inspect_instance(manager_record_for(runsvdir.pid_file, suite.scanner)).main;
}

// runsvdir looks for new services at least every 5 s, and on any wake-up once
// a second has passed since its last look. Writing to its log pipe (its
// stderr, which it reads for the readproctitle log) wakes it up.
void nudge(const Scanner& runsvdir) {
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

// runsvdir's recent error messages: its readproctitle log, from its argv.
std::string runsvdir_messages(const Scanner& runsvdir) {
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

// HUP: runsvdir TERMs every runsv it still watches, then exits.
void ask_to_exit(const Scanner& runsvdir, const ManagerProcess& manager,
                 const DeployOptions& options) {
  daemon::signal_instance(manager.record, SIGHUP);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.stop_timeout);
  while (scanner_started_by_nixproc(suite, runsvdir) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

// The end of the service's own log and runsvdir's complaints, for errors.
std::string details(const Service& service, const Scanner& runsvdir) {
  std::string text = service_log_tail(service);
  std::string messages = runsvdir_messages(runsvdir);
  if (!messages.empty()) text += "\nrunsvdir's log: " + messages;
  return text;
}

// A fresh runsv shows "down, want up" for the moment before it first starts
// ./run; a run script that exits at once, down and wanted up (or finish)
// until runsv starts it again a second later.
SupervisedState supervised_state(const std::string& dir) {
  ServiceState state = service_state(dir);
  SupervisedState seen;
  seen.line = state.line;
  seen.pid = state.pid;
  seen.summary = state.state.empty() ? state.line : state.state;
  if (state.state == "run")
    seen.seen = SupervisedState::Up;
  else if ((state.state == "down" && state.want_up) || state.state == "finish")
    seen.seen = SupervisedState::Restarting;
  else if (state.state == "down")
    seen.seen = SupervisedState::Down;
  return seen;
}

}  // namespace

const Suite suite = {
    .name = "runit",
    .scanner = "runsvdir",
    .supervisor = "runsv",
    .unwatched = "no runsv supervises it",
    .words = "",
    .command = command,
    .rescan = nudge,
    .rescans_after_link = false,
    .supervised_poll_ms = 50,
    .rescan_every = 4,
    .up_poll_ms = 50,
    .ask_to_exit = ask_to_exit,
    .is_supervised = is_supervised,
    .state = supervised_state,
    .up =
        [](const std::string& dir) {
          sv({"up", dir}, 30);
        },
    .down =
        [](const std::string& dir) {
          sv({"down", dir}, 30);
        },
    .down_after_up_is_failure = false,
    .unsupervised_details = details,
    .details = details,
};

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
