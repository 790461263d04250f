// The example web application: an HTTP server that answers every GET with a
// page naming its port. It runs in the foreground, or as a well-behaving
// daemon with -D (reference section 12; the daemon part is nixproc's own
// daemonize()).
#include <microhttpd.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "daemon/daemonize.h"

namespace {

struct Page {
  std::string body;
};

MHD_Result answer(void* closure, struct MHD_Connection* connection, const char*, const char* method,
                  const char*, const char* upload_data, size_t* upload_data_size,
                  void** request_state) {
  static int first_call_marker;
  const Page* page = static_cast<const Page*>(closure);
  if (std::strcmp(method, "GET") != 0) return MHD_NO;  // close without a response
  if (*request_state != &first_call_marker) {
    *request_state = &first_call_marker;  // headers only so far; wait for the body
    return MHD_YES;
  }
  if (*upload_data_size != 0 || upload_data) return MHD_NO;  // a GET with a body
  *request_state = nullptr;
  struct MHD_Response* response = MHD_create_response_from_buffer(
      page->body.size(), const_cast<char*>(page->body.data()), MHD_RESPMEM_PERSISTENT);
  MHD_Result result = MHD_queue_response(connection, MHD_HTTP_OK, response);
  MHD_destroy_response(response);
  return result;
}

// Blocks SIGINT and SIGTERM (before any server thread exists, so they inherit
// the mask) and waits for one of them.
sigset_t termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

struct MHD_Daemon* start_server(int port, Page* page) {
  sigset_t set = termination_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
                          static_cast<uint16_t>(port), nullptr, nullptr, &answer, page,
                          MHD_OPTION_END);
}

int wait_and_stop(struct MHD_Daemon* server) {
  sigset_t set = termination_signals();
  int signal = 0;
  sigwait(&set, &signal);
  MHD_stop_daemon(server);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const char* port_text = std::getenv("PORT");
  if (!port_text) {
    std::fprintf(
        stderr,
        "We need a PORT environment variable that specifies to which port the HTTP service "
        "should bind to!\n");
    return 1;
  }
  int port = std::atoi(port_text);
  bool daemon_mode = false;
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "-D") == 0) daemon_mode = true;

  Page page{
      "<!DOCTYPE html>\n<html>\n  <head>\n    <title>Simple test webapp</title>\n  </head>\n  "
      "<body>\n"
      "    Simple test webapp listening on port: " +
      std::to_string(port) + "\n  </body>\n</html>\n"};

  if (!daemon_mode) {
    struct MHD_Daemon* server = start_server(port, &page);
    if (!server) {
      std::fprintf(stderr, "Cannot start HTTP service!\n");
      return 1;
    }
    return wait_and_stop(server);
  }

  const char* pid_file = std::getenv("PID_FILE");
  if (!pid_file) {
    std::fprintf(
        stderr,
        "We need the PID_FILE environment variable that specifies the path to a file storing "
        "the PID of the daemon process!\n");
    return 1;
  }
  using namespace nixproc::daemon;
  Options options;
  options.pid_file = pid_file;
  options.expected_program = "/proc/self/exe";
  options.umask = 0;  // as the article's daemon: file modes are what the program asks for
  options.inherit_environment = true;
  struct MHD_Daemon* server = nullptr;
  Result result = daemonize(
      options, [&] { return (server = start_server(port, &page)) != nullptr; },
      [&] { return wait_and_stop(server); });
  if (result.status != Status::Success) std::fprintf(stderr, "%s\n", describe(result.status));
  return static_cast<int>(result.status);
}
