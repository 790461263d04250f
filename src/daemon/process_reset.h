#pragma once
// Undoing what a daemon would otherwise inherit from whoever started it:
// open files, signal dispositions, the signal mask, closed standard fds.
#include <vector>

namespace nixproc::daemon {

// Closes every fd >= 3 except those in `keep`: close_range(2) when the kernel
// has it, else the entries of /proc/self/fd, else every number below the
// RLIMIT_NOFILE soft limit. False if no method worked.
bool close_fds_except(const std::vector<int>& keep);

// Sets every catchable signal to SIG_DFL. glibc reserves a few real-time
// signals for itself (EINVAL); those are skipped.
bool reset_signal_handlers();

// Unblocks every signal.
bool clear_signal_mask();

// Opens /dev/null on whichever of fds 0, 1, 2 is closed, so files opened
// later never land on a standard fd.
bool ensure_standard_fds_open();

// Moves `fd` to a number >= 3 (close-on-exec) if it is a standard fd, so it
// survives stdio redirection. Returns the new number, or -1.
int move_above_standard_fds(int fd);

}  // namespace nixproc::daemon
