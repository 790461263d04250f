#pragma once
// The fixture of the nixproc-foreground-proxy tests: the proxy through its
// binary, a notification pipe, and small shell daemons.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "daemon/process_info.h"
#include "test_support.h"

namespace nixproc::daemon::testing {

constexpr int kNotifyFd = 5;

// A shell daemon: the launcher starts body.sh in the background and exits.
// The body records the signals it gets in `signals`, writes its PID file
// after `delay` seconds, and exits on TERM (unless told to ignore it).
const char kBody[] =
    "signals=$1; pid_file=$2; delay=$3\n"
    "trap 'echo HUP >> \"$signals\"' HUP\n"
    "trap 'echo USR1 >> \"$signals\"' USR1\n"
    "if [ \"$4\" = ignore-term ]; then trap '' TERM; else\n"
    "  trap 'echo TERM >> \"$signals\"; exit 0' TERM; fi\n"
    "sleep \"$delay\"\n"
    "echo $$ > \"$pid_file\"\n"
    "while :; do sleep 0.05; done\n";

class Proxy : public DaemonTest {
 protected:
  void SetUp() override {
    DaemonTest::SetUp();
    write_file(path("body.sh"), kBody);
  }

  // Whatever a failed test left behind: the proxy first, then the processes
  // that were reparented to this subreaper when it or a launcher exited.
  void TearDown() override {
    stop_process(proxy_);
    for (int round = 0; round < 2; ++round)
      for (pid_t child : child_processes(::getpid())) stop_process(child);
    DaemonTest::TearDown();
  }

  std::vector<std::string> proxy_command(std::vector<std::string> args) {
    args.insert(args.begin(), binary("nixproc-foreground-proxy"));
    return args;
  }
  RunResult run_proxy(std::vector<std::string> args) { return run_program(proxy_command(args)); }

  // A launcher that starts body.sh in the background (marking in `marker`
  // whether the PID file existed then) and exits 0.
  std::vector<std::string> shell_daemon(const std::string& delay = "0",
                                        const std::string& mode = "") {
    return {"/bin/sh",
            "-c",
            "[ -e \"$2\" ] && echo present > \"$4\"; sh \"$0\" \"$1\" \"$2\" \"$3\" \"$5\" "
            "</dev/null >/dev/null 2>&1 &",
            path("body.sh"),
            path("signals"),
            path("d.pid"),
            delay,
            path("marker"),
            mode};
  }

  // Starts the proxy with a notification pipe as fd 5 and waits for its
  // readiness line; false if none came within 10 s.
  bool start_ready(const std::vector<std::string>& args, const SpawnOptions& base = {}) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return false;
    SpawnOptions spawn = base;
    spawn.pass_fds = {{pipe_fds[1], kNotifyFd}};
    std::vector<std::string> with_fd = {"--notify-fd", std::to_string(kNotifyFd)};
    with_fd.insert(with_fd.end(), args.begin(), args.end());
    proxy_ = track(start_program(proxy_command(with_fd), spawn));
    ::close(pipe_fds[1]);
    notification_ = read_until_eof(pipe_fds[0]);
    ::close(pipe_fds[0]);
    return notification_ == "\n";
  }

  // Everything written to `fd` until every writer closed it (10 s at most).
  static std::string read_until_eof(int fd) {
    std::string text;
    struct pollfd poll_fd = {fd, POLLIN, 0};
    char buffer[64];
    while (::poll(&poll_fd, 1, 10000) > 0) {
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n <= 0) break;
      text.append(buffer, static_cast<size_t>(n));
    }
    return text;
  }

  static pid_t parent_of(pid_t pid) {
    std::string stat = read_file(proc_file(pid, "stat"));
    auto end = stat.rfind(')');
    return end == std::string::npos ? 0 : std::atoi(stat.c_str() + end + 4);
  }

  Subreaper subreaper_;
  pid_t proxy_ = 0;
  std::string notification_;
};

}  // namespace nixproc::daemon::testing
