#include "daemon/notification.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace nixproc::daemon {

namespace {

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

ssize_t read_retrying(int fd, void* buffer, size_t size) {
  ssize_t n;
  do n = ::read(fd, buffer, size);
  while (n < 0 && errno == EINTR);
  return n;
}

}  // namespace

void send_status(int fd, Status status, const std::string& detail) {
  sigset_t pipe_signal, previous;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
  const char byte = static_cast<char>(status);
  bool sent = write_all(fd, &byte, 1) && write_all(fd, detail.data(), detail.size());
  if (!sent && errno == EPIPE) {
    struct timespec no_wait = {0, 0};
    ::sigtimedwait(&pipe_signal, nullptr, &no_wait);  // discard the pending SIGPIPE
  }
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  ::close(fd);
}

Notification receive_status(int fd) {
  Notification notification;
  unsigned char byte = 0;
  ssize_t n = read_retrying(fd, &byte, 1);
  if (n < 0) {
    notification.kind = Notification::ReadError;
    return notification;
  }
  if (n == 0) return notification;
  notification.kind = Notification::Received;
  notification.status = status_from_byte(byte);
  // Only a failure has a text; after success the daemon may keep the pipe.
  if (notification.status == Status::Success) return notification;
  char buffer[512];
  while (notification.detail.size() < 4096) {
    ssize_t more = read_retrying(fd, buffer, sizeof buffer);
    if (more <= 0) break;
    notification.detail.append(buffer, static_cast<size_t>(more));
  }
  return notification;
}

Readiness wait_for_ready_line(int fd, int timeout_seconds) {
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  for (;;) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return Readiness::TimedOut;
    struct pollfd entry = {fd, POLLIN, 0};
    int ready = ::poll(&entry, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return Readiness::Closed;
    if (ready == 0) return Readiness::TimedOut;
    char buffer[256];
    ssize_t n = read_retrying(fd, buffer, sizeof buffer);
    if (n <= 0) return Readiness::Closed;  // closed without a newline
    if (std::memchr(buffer, '\n', static_cast<size_t>(n))) return Readiness::Ready;
  }
}

}  // namespace nixproc::daemon
