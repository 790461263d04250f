#include "daemon/foreground_proxy.h"

#include <fcntl.h>
#include <signal.h>
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

#include "daemon/instance_control.h"
#include "daemon/instance_record.h"
#include "daemon/pidfile.h"
#include "daemon/process_info.h"
#include "daemon/proxy_children.h"
#include "daemon/safe_files.h"

namespace nixproc::daemon {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kForwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
// A step that has not decided the proxy's exit status yet.
constexpr int kGoOn = -1;

bool is_stop_signal(int signal) {
  return signal == SIGTERM || signal == SIGINT || signal == SIGQUIT;
}

void complain(const std::string& message) {
  std::fprintf(stderr, "nixproc-foreground-proxy: %s\n", message.c_str());
}

long long milliseconds_until(Clock::time_point when) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(when - Clock::now()).count();
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

// Once: the fd is closed and forgotten.
void notify_ready(int& fd) {
  if (fd < 0) return;
  while (::write(fd, "\n", 1) < 0 && errno == EINTR) {
  }
  ::close(fd);
  fd = -1;
}

// Makes room for a PID file at `path` before a start: debris (a symlink, a
// FIFO, an empty directory) and a file naming no live process go. A file
// naming a live process is another process's: with `keep_live` it stays,
// and that PID is returned so that it is never taken for the new daemon.
// Anything else is no PID file and is not touched: a problem.
std::string clear_pid_file(const std::string& path, bool keep_live, pid_t* live) {
  SmallFile file;
  for (int attempt = 0; attempt < 10; ++attempt) {
    file = read_small_file(path);
    if (file.outcome != SmallFile::Changed) break;
  }
  std::string problem;
  switch (file.outcome) {
    case SmallFile::Missing:
      return "";
    case SmallFile::NotRegular:
      return remove_debris(path, &problem) ? "" : problem + "; it cannot hold a PID file";
    case SmallFile::TooLarge:
      return path + " holds more than a PID (over 4096 bytes); not removing it";
    case SmallFile::Unreadable:
    case SmallFile::Changed:
      return file.problem;
    case SmallFile::Read:
      break;
  }
  // A file planted by someone who cannot speak for the process it names is
  // debris too.
  auto pid = parse_pid(file.content);
  if (pid && keep_live && is_live_process(*pid) && may_name(file.info, *pid)) {
    *live = *pid;
    return "";
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    return "cannot remove the old PID file " + path + ": " + std::strerror(errno);
  return "";
}

// Removes the PID file at `path` if it still names `pid`.
void remove_pid_file_of(const std::string& path, pid_t pid) {
  if (path.empty() || pid <= 0) return;
  SmallFile file = read_small_file(path);
  if (file.outcome == SmallFile::Read && parse_pid(file.content) == pid) ::unlink(path.c_str());
}

class Keeper {
 public:
  explicit Keeper(const ProxyOptions& options)
      : options_(options), signals_(handled_signals()), notify_fd_(options.notify_fd) {
    ::sigprocmask(SIG_BLOCK, &signals_, &original_mask_);
  }

  int run() {
    int status = claim_record();
    if (status == kGoOn) status = start();
    if (status == kGoOn) status = supervise();
    end_what_is_left();
    clean_up();
    return status;
  }

 private:
  bool daemon_mode() const { return !options_.pid_file.empty() || options_.daemonises; }
  // A main process that is not (yet) our child, a grandchild whose parent
  // still lives, is watched through /proc; a zombie child is collected first
  // so its status is known.
  bool main_ended() {
    if (reaped_.count(main_.pid)) return true;
    if (still_runs(main_)) return false;
    reaped_.merge(reap_children());
    return true;
  }
  int main_status(bool stopping) const {
    auto found = reaped_.find(main_.pid);
    if (found != reaped_.end()) return found->second;
    return stopping ? 0 : 1;  // not our child: only gone, no status
  }

  // One proxy per instance; what an earlier one left running is ended.
  int claim_record() {
    self_ = identify(::getpid()).value_or(ProcessIdentity{::getpid(), 0, boot_id()});
    if (options_.record.empty()) return kGoOn;
    std::string problem;
    if (!record_.open(options_.record, &problem)) {
      complain(problem);
      return kProxyCannotStart;
    }
    auto previous = record_.previous();
    if (!record_.lock()) {
      complain("another nixproc-foreground-proxy keeps " + options_.record +
               (previous && still_runs(previous->keeper)
                    ? " (PID " + std::to_string(previous->keeper.pid) + ")"
                    : ""));
      return kProxyAlreadyRunning;
    }
    keeps_record_ = true;
    if (previous && previous->main.known() && still_runs(previous->main)) {
      complain("the instance's process " + std::to_string(previous->main.pid) +
               " outlived its keeper; ending it and what descends from it first");
      if (!end_processes({previous->main}, options_.stop_timeout).empty()) {
        complain("processes of the earlier run survived KILL; not starting");
        return kProxyCannotStart;
      }
    }
    return write_record() ? kGoOn : kProxyCannotStart;
  }

  bool write_record(bool ready = false) {
    if (!keeps_record_) return true;
    std::string problem;
    if (record_.write({self_, main_, ready}, &problem)) return true;
    complain(problem);
    return false;
  }

  // The start succeeded: whoever confirms starts (nixproc) reads it here.
  void record_ready() { write_record(true); }

  int start() {
    if (!options_.initialize.empty())
      if (int status = run_initialize(); status != kGoOn) return status;
    std::string problem;
    pid_t ignored = 0;
    if (!options_.pid_file.empty())
      problem = clear_pid_file(options_.pid_file, true, &previous_pid_);
    else if (!options_.main_pid_file.empty())
      problem = clear_pid_file(options_.main_pid_file, false, &ignored);
    if (!problem.empty()) {
      complain(problem);
      return kProxyCannotStart;
    }
    pid_t launcher = start_child(options_.command, options_, true, original_mask_, &problem);
    if (launcher < 0) {
      complain("cannot start: " + problem);
      return kProxyCannotStart;
    }
    if (daemon_mode()) return wait_for_daemon(launcher);
    main_ = identify(launcher).value_or(ProcessIdentity{launcher, 0, boot_id()});
    if (!options_.main_pid_file.empty() &&
        !create_new_file(options_.main_pid_file, std::to_string(launcher) + "\n", 0644, &problem)) {
      complain("cannot write the PID file: " + problem);
      return kProxyCannotStart;
    }
    return write_record() ? kGoOn : kProxyCannotStart;
  }

  // initialize runs to its end first; what it starts in the background stays
  // the instance's, below this subreaper.
  int run_initialize() {
    ProxyOptions setup = options_;
    setup.directory.reset();  // initialize runs where the proxy runs, as before the program
    std::string problem;
    pid_t pid = start_child({"/bin/sh", "-ec", options_.initialize}, setup, false, original_mask_,
                            &problem);
    if (pid < 0) {
      complain("cannot run initialize: " + problem);
      return kProxyCannotStart;
    }
    for (;;) {
      reaped_.merge(reap_children());
      if (auto done = reaped_.find(pid); done != reaped_.end()) {
        if (done->second == 0) return kGoOn;
        complain("initialize " + describe_exit(done->second) + "; the program was not started");
        return kProxyLauncherFailed;
      }
      if (int signal = next_signal(signals_, 50); is_stop_signal(signal)) return 128 + signal;
    }
  }

  // The new daemon's PID once the PID file names it: one of our descendants
  // (an orphan adopted by this subreaper, or one already reaped), never the
  // previous file's process and never a process this proxy did not start.
  // Without a PID file: our only child, once it has been the only one for a
  // moment (a daemon that forks twice passes through two).
  pid_t daemon_in_pid_file() {
    if (options_.pid_file.empty()) return daemon_left_behind();
    SmallFile file = read_small_file(options_.pid_file);
    if (file.outcome != SmallFile::Read) return 0;
    auto pid = parse_pid(file.content);
    if (!pid || *pid == previous_pid_) return 0;
    if (reaped_.count(*pid)) return *pid;
    for (const auto& descendant : live_descendants(process_table(), ::getpid()))
      if (descendant.pid == *pid) return *pid;
    return 0;
  }

  pid_t daemon_left_behind() {
    std::vector<pid_t> live;
    for (pid_t child : child_processes(::getpid()))
      if (is_live_process(child)) live.push_back(child);
    if (live.size() != 1 || live[0] != only_child_) {
      only_child_ = live.size() == 1 ? live[0] : 0;
      only_since_ = Clock::now();
      return 0;
    }
    return Clock::now() - only_since_ >= std::chrono::milliseconds(200) ? only_child_ : 0;
  }

  int wait_for_daemon(pid_t launcher) {
    // One deadline for both steps: a program that never exits (it does not
    // daemonise) fails just like one whose daemon never writes its PID file.
    auto deadline = Clock::now() + std::chrono::seconds(options_.timeout);
    bool launched = false;
    for (;;) {
      reaped_.merge(reap_children());
      if (!launched && reaped_.count(launcher)) {
        launched = true;
        if (int status = reaped_[launcher]; status != 0) {
          complain(options_.command[0] + " " + describe_exit(status) +
                   " before the daemon started");
          return kProxyLauncherFailed;
        }
      }
      if (pid_t pid = launched ? daemon_in_pid_file() : 0) {
        main_ = identify(pid).value_or(ProcessIdentity{pid, 0, boot_id()});
        return write_record() ? kGoOn : kProxyCannotStart;
      }
      if (Clock::now() >= deadline) {
        complain(launched ? (options_.pid_file.empty()
                                 ? "no daemon was left running by " + options_.command[0]
                                 : "the PID file " + options_.pid_file +
                                       " names no process of this instance") +
                                " after " + std::to_string(options_.timeout) + " s"
                          : options_.command[0] + " is still running after " +
                                std::to_string(options_.timeout) + " s (does it daemonise?)");
        return kProxyPidFileTimeout;
      }
      int signal = next_signal(signals_, std::min(milliseconds_until(deadline), 50LL));
      if (is_stop_signal(signal)) return 128 + signal;
      if (signal != 0 && signal != SIGCHLD && !launched) ::kill(launcher, signal);
    }
  }

  // Forwards signals to the main process until it ends; reports readiness
  // once it has stayed up for the settle time.
  int supervise() {
    double settle = options_.settle.value_or(daemon_mode() ? 0 : 1);
    auto ready_at = Clock::now() + std::chrono::milliseconds(static_cast<long long>(settle * 1000));
    bool ready = false, stopping = false, kill_pending = false;
    Clock::time_point kill_at{};
    if (options_.notify_at_launch) notify_ready(notify_fd_);
    for (;;) {
      reaped_.merge(reap_children());
      if (main_ended()) {
        int status = main_status(stopping);
        if (ready || stopping) return status;
        complain(options_.command[0] + " " + describe_exit(status) + " right after it started");
        return kProxyEndedAtOnce;
      }
      auto now = Clock::now();
      if (!ready && now >= ready_at) {
        ready = true;
        record_ready();
        notify_ready(notify_fd_);
      }
      if (kill_pending && now >= kill_at) {
        complain("the process " + std::to_string(main_.pid) + " did not stop within " +
                 std::to_string(options_.stop_timeout) + " s; killing it");
        signal_process(main_, SIGKILL);
        kill_pending = false;
      }
      long long wait = 1000;
      if (!ready) wait = std::min(wait, milliseconds_until(ready_at));
      if (kill_pending) wait = std::min(wait, milliseconds_until(kill_at));
      int signal = next_signal(signals_, wait);
      if (signal == 0 || signal == SIGCHLD) continue;
      signal_process(main_, signal);
      if (is_stop_signal(signal)) {
        stopping = true;
        if (!kill_pending) kill_at = Clock::now() + std::chrono::seconds(options_.stop_timeout);
        kill_pending = true;
      }
    }
  }

  // Whatever the instance still runs below us once its main process ended.
  void end_what_is_left() {
    auto left = live_descendants(process_table(), ::getpid());
    if (!left.empty()) {
      std::string pids;
      for (const auto& process : left) pids += " " + std::to_string(process.pid);
      complain("ending what the instance left running:" + pids);
      auto survivors = end_processes(left, options_.stop_timeout);
      if (!survivors.empty()) complain("some of them survived KILL");
    }
    reap_children();
  }

  void clean_up() {
    if (main_.known()) {
      remove_pid_file_of(options_.main_pid_file, main_.pid);
      if (daemon_mode()) remove_pid_file_of(options_.pid_file, main_.pid);
    }
    if (keeps_record_) record_.remove();
  }

  const ProxyOptions& options_;
  sigset_t signals_, original_mask_;
  int notify_fd_;
  RecordDirectory record_;
  bool keeps_record_ = false;
  ProcessIdentity self_, main_;
  pid_t previous_pid_ = 0;  // daemon mode: the live process an existing PID file named
  pid_t only_child_ = 0;    // daemon mode without a PID file: the daemon, perhaps
  Clock::time_point only_since_{};
  std::map<pid_t, int> reaped_;
};

}  // namespace

int run_foreground_proxy(const ProxyOptions& options) {
#ifdef __linux__
  // Orphans (the daemon, once its parent exits; whatever the instance's
  // processes leave) become our children, so none escapes to init.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
  ::signal(SIGPIPE, SIG_IGN);  // a notification reader that went away
  if (options.notify_fd >= 0) ::fcntl(options.notify_fd, F_SETFD, FD_CLOEXEC);
  return Keeper(options).run();
}

}  // namespace nixproc::daemon
