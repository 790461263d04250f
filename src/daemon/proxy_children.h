#pragma once
// The processes nixproc-foreground-proxy starts and collects: the program
// (or its launcher) and initialize, forked with the caller's signal mask,
// and the exit statuses of every child, adopted orphans included.
#include <signal.h>
#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "daemon/foreground_proxy.h"

namespace nixproc::daemon {

// 128+signal for a killed process, else its exit status.
int decode_wait_status(int wait_status);
// "exited with status N" / "was killed by signal N".
std::string describe_exit(int status);

// Collects every exited child without waiting: PID -> decoded status.
std::map<pid_t, int> reap_children();

// Forks and executes `argv` with `original_mask`, in `options.directory`
// with `options.umask`, as `options.user` when `as_user`. Failures before
// or in exec come back as text through a close-on-exec pipe: -1 and
// `problem` set.
pid_t start_child(const std::vector<std::string>& argv, const ProxyOptions& options, bool as_user,
                  const sigset_t& original_mask, std::string* problem);

// The next of `signals` within `limit_ms`, 0 when none came.
int next_signal(const sigset_t& signals, long long limit_ms);

}  // namespace nixproc::daemon
