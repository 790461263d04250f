// webapp: the example web application of nix-processmgmt (reference section
// 12). PORT selects the port; with -D it runs as a well-behaving daemon
// (nixproc's daemonize(), callback mode) writing its PID to PID_FILE.
// Exit status: 0 after SIGINT/SIGTERM; 1 for a missing PORT or PID_FILE or,
// in the foreground, a port it cannot bind; with -D the daemon Status.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "daemon/daemonize.h"
#include "http_service.h"

namespace {

sigset_t termination_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

// Blocks SIGINT and SIGTERM before any server thread exists, so that every
// thread inherits the mask and wait_for_termination() receives them.
MHD_Daemon* start_service(int port, const std::string& page) {
  signal(SIGINT, SIG_DFL);  // like the original's handlers, override an inherited SIG_IGN
  signal(SIGTERM, SIG_DFL);
  sigset_t signals = termination_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return webapp::start_http_service(port, page);
}

int wait_for_termination(MHD_Daemon* service) {
  sigset_t signals = termination_signals();
  int received = 0;
  while (sigwait(&signals, &received) != 0) {
  }
  webapp::stop_http_service(service);
  return 0;
}

int run_in_foreground(int port, const std::string& page) {
  MHD_Daemon* service = start_service(port, page);
  if (!service) {
    std::fprintf(stderr, "Cannot start HTTP service!\n");
    return 1;
  }
  return wait_for_termination(service);
}

int run_as_daemon(int port, const std::string& page, const char* pid_file) {
  using namespace nixproc::daemon;
  Options options;
  options.pid_file = pid_file;
  options.umask = 0;  // as in the article: files get exactly the modes the program asks for
  options.environment.inherit = true;
  MHD_Daemon* service = nullptr;
  Result result = daemonize(
      options, [&] { return (service = start_service(port, page)) != nullptr; },
      [&] { return wait_for_termination(service); });
  if (result.status != Status::Success)
    std::fprintf(stderr, "%s%s%s%s\n", describe(result.status), result.detail.empty() ? "" : " (",
                 result.detail.c_str(), result.detail.empty() ? "" : ")");
  return static_cast<int>(result.status);
}

}  // namespace

int main(int argc, char** argv) {
  const char* port_text = std::getenv("PORT");
  if (!port_text) {
    std::fprintf(stderr,
                 "We need a PORT environment variable that specifies to which port the HTTP "
                 "service should bind to!\n");
    return 1;
  }
  int port = std::atoi(port_text);
  bool daemon_mode = false;
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "-D") == 0) daemon_mode = true;
  std::string page = webapp::page_for_port(port);
  if (!daemon_mode) return run_in_foreground(port, page);

  const char* pid_file = std::getenv("PID_FILE");
  if (!pid_file) {
    std::fprintf(stderr,
                 "We need the PID_FILE environment variable that specifies the path to a file "
                 "storing the PID of the daemon process!\n");
    return 1;
  }
  return run_as_daemon(port, page, pid_file);
}
