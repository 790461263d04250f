#include "image/container_init.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/installation.h"
#include "deploy/credentials.h"
#include "deploy/switch.h"
#include "image/image.h"
#include "store/profile.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/subprocess.h"

namespace nixproc::image {

namespace {

sigset_t handled_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int signal : {SIGCHLD, SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, signal);
  return set;
}

// Runs nixproc itself with `args`, with the signals this init waits for
// unblocked again, as a program's own signals must be.
pid_t spawn_nixproc(const std::vector<std::string>& args) {
  std::string self = fs::real_path("/proc/self/exe");
  std::vector<std::string> argv = {self};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid = ::fork();
  if (pid < 0) throw Error("cannot fork: " + fs::errno_text());
  if (pid == 0) {
    sigset_t set = handled_signals();
    ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
    std::vector<char*> pointers;
    for (auto& arg : argv) pointers.push_back(arg.data());
    pointers.push_back(nullptr);
    ::execv(self.c_str(), pointers.data());
    std::fprintf(stderr, "nixproc container-init: cannot run %s: %s\n", self.c_str(),
                 std::strerror(errno));
    ::_exit(127);
  }
  return pid;
}

// Reaps every child that ended; returns the exit status of `watched` once
// it is among them.
std::optional<int> reap(pid_t watched) {
  std::optional<int> status;
  for (;;) {
    int raw = 0;
    pid_t pid = ::waitpid(-1, &raw, WNOHANG);
    if (pid <= 0) return status;
    if (pid == watched)
      status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + (WIFSIGNALED(raw) ? WTERMSIG(raw) : 0);
  }
}

bool has_children() {
  return ::waitpid(-1, nullptr, WNOHANG) != -1 || errno != ECHILD;
}

// Waits for a signal up to `seconds` (negative: for ever); 0 on timeout.
int wait_signal(const sigset_t& set, double seconds) {
  if (seconds < 0) return ::sigwaitinfo(&set, nullptr);
  struct timespec timeout = {static_cast<time_t>(seconds),
                             static_cast<long>((seconds - static_cast<long>(seconds)) * 1e9)};
  int signal = ::sigtimedwait(&set, nullptr, &timeout);
  return signal < 0 ? 0 : signal;
}

// `nixproc stop` for every instance, then TERM and, after the stop timeout,
// KILL for whatever is left in the container (this PID namespace is the
// container's own: everything in it is the image's).
int shut_down(const sigset_t& set, const ContainerInitOptions& options, int exit_code) {
  log::info("container-init: stopping every process");
  pid_t stopper = spawn_nixproc({"stop", "--stop-timeout", std::to_string(options.stop_timeout)});
  for (;;) {
    wait_signal(set, 1);
    if (auto status = reap(stopper)) {
      if (*status != 0) exit_code = exit_code ? exit_code : *status;
      break;
    }
  }
  ::kill(-1, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.stop_timeout);
  while (has_children() && std::chrono::steady_clock::now() < deadline) {
    wait_signal(set, 0.1);
    reap(0);
  }
  if (has_children()) {
    ::kill(-1, SIGKILL);
    while (::waitpid(-1, nullptr, 0) > 0) {
    }
  }
  return exit_code;
}

// The image's Nix store paths become valid in its own Nix database (made
// on the first start, when Nix inside needs it).
void load_nix_registration() {
  if (!fs::exists(kNixRegistration) || fs::exists("/nix/var/nix/db/db.sqlite")) return;
  RunResult result = run(
      {"/bin/sh", "-c", "exec nix-store --load-db <\"$1\"", "sh", kNixRegistration}, capturing());
  if (!result.ok())
    log::warning("container-init: nix-store --load-db " + result.describe() + ": " + result.err);
}

}  // namespace

int container_init(const ContainerInitOptions& options) {
  if (::getpid() != 1)
    throw Error(
        "nixproc container-init must be a container's first process (PID 1): it is the entry "
        "point of images that `nixproc image` writes, and it ends every process it finds when it "
        "stops");
  load_nix_registration();
  Home home = resolve_home(std::nullopt);
  Profile profile(home.profiles, "processes");
  auto manifest = current_manifest(profile);
  // A mutable image's first start deploys its model; every later start (and
  // an immutable image's) starts the generation deployed last.
  std::vector<std::string> first = {"start"};
  if (!manifest) {
    const char* model = std::getenv("NIXPROC_PROCESSES");
    if (!model || !*model)
      throw Error("container-init: nothing is deployed in " + home.profiles +
                  " and NIXPROC_PROCESSES names no model to deploy");
    if (const char* no = std::getenv(kNoBootstrapVariable); no && *no) {
      log::info("container-init: nothing is deployed yet; run `nixproc switch` inside to deploy " +
                std::string(model));
      first.clear();
    } else {
      log::info("container-init: the first start deploys " + std::string(model));
      first = {"switch"};
    }
  } else {
    for (const auto& done : create_accounts(*manifest)) log::info(done);
  }

  sigset_t set = handled_signals();
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
  pid_t starter = first.empty() ? 0 : spawn_nixproc(first);
  for (;;) {
    int signal = wait_signal(set, -1);
    if (signal == SIGCHLD) {
      if (auto status = reap(starter)) {
        starter = 0;
        if (*status != 0) {
          log::warning("container-init: `nixproc " + first.front() + "` failed (exit " +
                       std::to_string(*status) + ")");
          return shut_down(set, options, *status);
        }
        log::info("container-init: every process started");
      }
      continue;
    }
    if (signal == SIGTERM || signal == SIGINT || signal == SIGHUP) {
      if (starter) ::kill(starter, SIGTERM);
      return shut_down(set, options, 0);
    }
  }
}

void register_container_init(CLI::App& app, std::function<int()>& action) {
  auto options = std::make_shared<ContainerInitOptions>();
  auto* command = app.add_subcommand(
      "container-init",
      "The first process of an image from `nixproc image`: start the deployed processes, reap "
      "orphans, stop everything on TERM");
  command
      ->add_option("--stop-timeout", options->stop_timeout,
                   "Seconds a process gets to stop after TERM before KILL (default 10)")
      ->check(CLI::Range(1, 3600));
  command->callback(
      [options, &action] { action = [options] { return container_init(*options); }; });
}

}  // namespace nixproc::image
