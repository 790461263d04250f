#include "daemon/process_reset.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>

namespace nixproc::daemon {

namespace {

bool close_with_close_range(const std::vector<int>& keep) {
  unsigned int from = 3;
  for (int fd : keep) {
    if (fd < static_cast<int>(from)) continue;
    if (static_cast<unsigned int>(fd) > from &&
        ::close_range(from, static_cast<unsigned int>(fd) - 1, 0) != 0)
      return false;
    from = static_cast<unsigned int>(fd) + 1;
  }
  return ::close_range(from, UINT_MAX, 0) == 0;
}

bool close_listed_in_proc(const std::vector<int>& keep) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return false;
  std::vector<int> doomed;
  int own = ::dirfd(dir);
  while (struct dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    int fd = std::atoi(entry->d_name);
    if (fd > 2 && fd != own && !std::binary_search(keep.begin(), keep.end(), fd))
      doomed.push_back(fd);
  }
  ::closedir(dir);
  for (int fd : doomed) ::close(fd);
  return true;
}

bool close_up_to_limit(const std::vector<int>& keep) {
  struct rlimit limit;
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
  rlim_t top = limit.rlim_cur == RLIM_INFINITY ? rlim_t{1} << 20 : limit.rlim_cur;
  for (rlim_t fd = 3; fd < top; ++fd)
    if (!std::binary_search(keep.begin(), keep.end(), static_cast<int>(fd)))
      ::close(static_cast<int>(fd));
  return true;
}

}  // namespace

bool close_fds_except(const std::vector<int>& keep) {
  std::vector<int> sorted = keep;
  std::sort(sorted.begin(), sorted.end());
  return close_with_close_range(sorted) || close_listed_in_proc(sorted) ||
         close_up_to_limit(sorted);
}

bool reset_signal_handlers() {
  struct sigaction default_action = {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  for (int signal = 1; signal < NSIG; ++signal) {
    if (signal == SIGKILL || signal == SIGSTOP) continue;
    if (::sigaction(signal, &default_action, nullptr) != 0 && errno != EINVAL) return false;
  }
  return true;
}

bool clear_signal_mask() {
  sigset_t empty;
  return sigemptyset(&empty) == 0 && ::sigprocmask(SIG_SETMASK, &empty, nullptr) == 0;
}

bool ensure_standard_fds_open() {
  for (;;) {
    int fd = ::open("/dev/null", O_RDWR);
    if (fd < 0) return false;
    if (fd > 2) {
      ::close(fd);
      return true;
    }
  }
}

int move_above_standard_fds(int fd) {
  if (fd > 2) return fd;
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::close(fd);
  return moved;
}

}  // namespace nixproc::daemon
