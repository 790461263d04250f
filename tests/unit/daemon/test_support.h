#pragma once
// Helpers for tests that start real daemons and real programs: temporary
// directories, /proc readers, spawning without a shell, HTTP, cleanup.
#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace nixproc::daemon::testing {

// A built program of this project, from the bin directory.
std::string binary(const std::string& name);
const std::string& hold_program();  // nixproc-test-hold

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);
std::string link_target(const std::string& path);

// A field of /proc/<pid>/status, without the name and leading blanks.
std::string status_field(pid_t pid, const std::string& name);
std::string proc_file(pid_t pid, const std::string& entry);
std::set<int> open_fds(pid_t pid);
// open_fds once it equals `expected`, or after 2 s: right after exec the
// dynamic loader briefly holds a library open as the lowest free fd.
std::set<int> settled_fds(pid_t pid, const std::set<int>& expected);
// NAME=VALUE entries of /proc/<pid>/environ.
std::set<std::string> environment_of(pid_t pid);

bool is_gone(pid_t pid);  // no such process, or a zombie
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds limit = std::chrono::seconds(5));
// SIGTERM, then SIGKILL after a few seconds; reaps it if it is our child.
void stop_process(pid_t pid);
pid_t pid_in_file(const std::string& path);

// Makes this process the reaper of orphaned descendants (daemons started
// from here) while it lives, so their exit status can be collected.
class Subreaper {
 public:
  Subreaper();
  ~Subreaper();
  Subreaper(const Subreaper&) = delete;
  Subreaper& operator=(const Subreaper&) = delete;
};
// Waits for our child `pid`: its exit status, 128+signal, or -1 on timeout.
int wait_for_exit(pid_t pid, std::chrono::milliseconds limit = std::chrono::seconds(10));

struct SpawnOptions {
  std::vector<std::string> set_environment;    // NAME=VALUE, added or replacing
  std::vector<std::string> unset_environment;  // names
  bool close_stdin = false;
  std::vector<std::pair<int, int>> pass_fds;  // {fd here, its number in the program}
};

struct RunResult {
  int status = -1;  // exit status, 128+signal when killed
  std::string out;
  std::string err;
};

// Runs argv (no shell) to completion, capturing stdout and stderr.
RunResult run_program(const std::vector<std::string>& argv, const SpawnOptions& options = {});
// Starts argv in the background with stdio on /dev/null; returns its PID.
pid_t start_program(const std::vector<std::string>& argv, const SpawnOptions& options = {});

int free_port();
// Sends `request` to 127.0.0.1:`port` and returns everything the server
// sends back until it closes ("" when it closes without a response).
std::string http_exchange(int port, const std::string& request);
// Polls until something accepts connections on `port`.
bool port_accepts(int port);

// A fixture with a temporary directory and cleanup of every process the test
// registers with track(), even when the test fails halfway.
class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  pid_t track(pid_t pid);
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

  std::string dir_;

 private:
  std::vector<pid_t> tracked_;
};

}  // namespace nixproc::daemon::testing
