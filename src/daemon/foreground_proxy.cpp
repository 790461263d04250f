#include "daemon/foreground_proxy.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <thread>

#include "daemon/pidfile.h"
#include "daemon/process_info.h"

namespace nixproc::daemon {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kForwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

bool is_stop_signal(int signal) {
  return signal == SIGTERM || signal == SIGINT || signal == SIGQUIT;
}

void complain(const std::string& message) {
  std::fprintf(stderr, "nixproc-foreground-proxy: %s\n", message.c_str());
}

int decode(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 1;
}

std::string describe_exit(int status) {
  return status > 128 ? "was killed by signal " + std::to_string(status - 128)
                      : "exited with status " + std::to_string(status);
}

// The forwarded signals and SIGCHLD stay blocked in the proxy and are taken
// with sigtimedwait: no handlers, no races between a check and a wait.
sigset_t handled_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal : kForwarded) sigaddset(&signals, signal);
  sigaddset(&signals, SIGCHLD);
  return signals;
}

// The next handled signal within `limit`, 0 when none came.
int next_signal(const sigset_t& signals, Clock::duration limit) {
  auto ms = std::max<long long>(0, std::chrono::duration_cast<milliseconds>(limit).count());
  struct timespec timeout = {static_cast<time_t>(ms / 1000),
                             static_cast<long>(ms % 1000) * 1000000};
  int signal = ::sigtimedwait(&signals, nullptr, &timeout);
  return signal > 0 ? signal : 0;
}

// Collects every exited child, the daemon's intermediate processes and other
// orphans the subreaper adopted included, so none stays a zombie.
std::map<pid_t, int> reap() {
  std::map<pid_t, int> reaped;
  int wait_status = 0;
  for (pid_t pid; (pid = ::waitpid(-1, &wait_status, WNOHANG)) > 0;)
    reaped[pid] = decode(wait_status);
  return reaped;
}

// kill(pid, 0) works everywhere; where /proc exists it also tells a zombie,
// which kill() still finds, from a live process.
bool alive(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno != EPERM) return false;
  static const bool have_proc = ::access("/proc/self/stat", R_OK) == 0;
  return !have_proc || is_live_process(pid);
}

// A PID file left by an earlier run must not pass for the new daemon. A
// stale one (its process is gone) is removed before the start, so any file
// seen afterwards is the new daemon's, and daemons that refuse to start over
// an existing file start. Comparing mtimes instead would trust clocks and
// filesystem timestamp granularity. A file naming a live process is not ours
// to remove (another instance, or a daemon that outlived a killed proxy); its
// PID is returned so that it is never taken for the new daemon.
pid_t forget_stale_pid_file(const std::string& path) {
  PidFileCheck check = check_pid_file(path, "");
  if (check.state == PidFileCheck::Running) return check.pid;
  if (check.state == PidFileCheck::Stale) ::unlink(path.c_str());
  return 0;
}

// The new daemon's PID once the PID file names it: a live process other than
// the previous file's, or a child of ours that has already exited.
pid_t daemon_in_pid_file(const std::string& path, pid_t previous,
                         const std::map<pid_t, int>& reaped) {
  pid_t pid = read_pid_file(path);
  if (pid <= 0 || pid == previous) return 0;
  return reaped.count(pid) || alive(pid) ? pid : 0;
}

// Forks and executes the command with the caller's signal mask. Failures
// before or in exec come back as text through a close-on-exec pipe.
pid_t start_launcher(const ProxyOptions& options, const sigset_t& original_mask,
                     std::string* problem) {
  std::vector<char*> argv;
  for (const auto& argument : options.command) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    *problem = std::string("cannot create a pipe: ") + std::strerror(errno);
    return -1;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    *problem = std::string("cannot fork: ") + std::strerror(errno);
    ::close(report[0]);
    ::close(report[1]);
    return -1;
  }
  if (pid == 0) {
    ::close(report[0]);
    ::sigprocmask(SIG_SETMASK, &original_mask, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    std::string failure;
    if (options.directory && ::chdir(options.directory->c_str()) != 0)
      failure = "cannot change to " + *options.directory + ": " + std::strerror(errno);
    if (failure.empty()) {
      if (options.umask) ::umask(*options.umask);
      ::execvp(argv[0], argv.data());
      failure = options.command[0] + ": " + std::strerror(errno);
    }
    ssize_t ignored = ::write(report[1], failure.data(), failure.size());
    (void)ignored;
    ::_exit(127);
  }
  ::close(report[1]);
  char buffer[512];
  for (ssize_t n; (n = ::read(report[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    problem->append(buffer, static_cast<size_t>(n));
  }
  ::close(report[0]);
  if (problem->empty()) return pid;
  ::waitpid(pid, nullptr, 0);
  return -1;
}

// Stops what a failed start left behind: the launcher (0 once reaped) and
// every process reparented to the proxy. TERM first, KILL after `grace`
// seconds; gives up on processes that survive even that for 5 s.
void stop_children(pid_t launcher, int grace) {
  auto kill_at = Clock::now() + seconds(grace);
  std::set<pid_t> terminated;
  for (;;) {
    if (reap().count(launcher)) launcher = 0;
    std::vector<pid_t> children = child_processes(::getpid());
    if (launcher > 0 && std::find(children.begin(), children.end(), launcher) == children.end())
      children.push_back(launcher);  // no /proc
    if (children.empty()) return;
    auto now = Clock::now();
    for (pid_t child : children) {
      if (now >= kill_at)
        ::kill(child, SIGKILL);
      else if (terminated.insert(child).second)
        ::kill(child, SIGTERM);
    }
    if (now >= kill_at + seconds(5)) return;
    std::this_thread::sleep_for(milliseconds(20));
  }
}

void notify_ready(int fd) {
  if (fd < 0) return;
  while (::write(fd, "\n", 1) < 0 && errno == EINTR) {
  }
  ::close(fd);
}

// Forwards signals to the running daemon until it exits. A child of the
// proxy is waited for; any other process is polled.
int supervise(pid_t daemon, const ProxyOptions& options, const sigset_t& signals) {
  int wait_status = 0;
  pid_t waited = ::waitpid(daemon, &wait_status, WNOHANG);
  if (waited == daemon) return decode(wait_status);
  const bool is_child = waited == 0;
  bool stopping = false;
  std::optional<Clock::time_point> kill_at;
  for (;;) {
    auto reaped = reap();
    if (is_child && reaped.count(daemon)) return reaped[daemon];
    if (!is_child && !alive(daemon)) return stopping ? 0 : 1;
    auto now = Clock::now();
    if (kill_at && now >= *kill_at) {
      complain("the daemon (PID " + std::to_string(daemon) + ") did not stop within " +
               std::to_string(options.stop_timeout) + " s; killing it");
      ::kill(daemon, SIGKILL);
      kill_at.reset();
    }
    Clock::duration wait = is_child ? Clock::duration(seconds(1)) : milliseconds(100);
    if (kill_at) wait = std::min(wait, *kill_at - now);
    int signal = next_signal(signals, wait);
    if (signal == 0 || signal == SIGCHLD) continue;
    ::kill(daemon, signal);
    if (is_stop_signal(signal)) {
      stopping = true;
      if (!kill_at) kill_at = Clock::now() + seconds(options.stop_timeout);
    }
  }
}

}  // namespace

int run_foreground_proxy(const ProxyOptions& options) {
#ifdef __linux__
  // Orphans (the daemon, once its parent exits) become our children, so the
  // daemon can be waited for; without this it is polled.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
  ::signal(SIGPIPE, SIG_IGN);  // a notification reader that went away
  if (options.notify_fd >= 0) ::fcntl(options.notify_fd, F_SETFD, FD_CLOEXEC);
  sigset_t signals = handled_signals(), original_mask;
  ::sigprocmask(SIG_BLOCK, &signals, &original_mask);

  pid_t previous = forget_stale_pid_file(options.pid_file);
  std::string problem;
  pid_t launcher = start_launcher(options, original_mask, &problem);
  if (launcher < 0) {
    complain("cannot start the daemon: " + problem);
    return kProxyCannotStart;
  }

  // One deadline for both steps: a program that never exits (it does not
  // daemonise) fails just like one whose daemon never writes its PID file.
  auto deadline = Clock::now() + seconds(options.timeout);
  std::map<pid_t, int> reaped;
  bool launched = false;
  pid_t daemon = 0;
  for (;;) {
    reaped.merge(reap());
    if (!launched && reaped.count(launcher)) {
      launched = true;
      if (int status = reaped[launcher]; status != 0) {
        complain(options.command[0] + " " + describe_exit(status) + " before the daemon started");
        stop_children(0, options.stop_timeout);
        return kProxyLauncherFailed;
      }
    }
    if (launched && (daemon = daemon_in_pid_file(options.pid_file, previous, reaped))) break;
    auto now = Clock::now();
    if (now >= deadline) {
      complain(launched ? "the PID file " + options.pid_file + " names no running process after " +
                              std::to_string(options.timeout) + " s"
                        : options.command[0] + " is still running after " +
                              std::to_string(options.timeout) + " s (does it daemonise?)");
      stop_children(launched ? 0 : launcher, options.stop_timeout);
      return kProxyPidFileTimeout;
    }
    int signal = next_signal(signals, std::min<Clock::duration>(deadline - now, milliseconds(50)));
    if (is_stop_signal(signal)) {
      stop_children(launched ? 0 : launcher, options.stop_timeout);
      return 128 + signal;
    }
    if (signal != 0 && signal != SIGCHLD && !launched) ::kill(launcher, signal);
  }

  notify_ready(options.notify_fd);
  if (auto exited = reaped.find(daemon); exited != reaped.end()) return exited->second;
  return supervise(daemon, options, signals);
}

}  // namespace nixproc::daemon
