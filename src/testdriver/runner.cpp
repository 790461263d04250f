#include "testdriver/runner.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <map>

#include <nlohmann/json.hpp>

#include "testdriver/machine.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace nixproc::testdriver {

namespace {

using Clock = std::chrono::steady_clock;

volatile sig_atomic_t g_interrupted = 0;
void on_interrupt(int) {
  g_interrupted = 1;
}

struct Running {
  std::string dir;
  Clock::time_point started;
  Machine machine;
  bool timed_out = false;
};

std::string dir_name(const std::string& attr_path) {
  std::string name = attr_path.empty() ? "variant" : attr_path;
  std::replace(name.begin(), name.end(), '/', '_');
  return name;
}

std::string read_or_empty(const std::string& path) {
  try {
    return fs::read_file(path);
  } catch (const Error&) {
    return "";
  }
}

void prepare(const Variant& variant, const RunOptions& options, const std::string& dir) {
  if (fs::lexists(dir)) fs::remove_tree(dir);
  fs::make_directories(dir + "/run/nixproc-test");
  nlohmann::json script = {{"steps", variant.steps}, {"waitTimeout", options.wait_timeout}};
  fs::write_file_atomic(dir + "/run/nixproc-test/variant.json", script.dump(2) + "\n");
}

Machine start(const Variant& variant, const RunOptions& options, const std::string& dir) {
  prepare(variant, options, dir);
  MachineSpec spec;
  spec.dir = dir;
  spec.user = variant.user;
  spec.path = options.path;
  for (const auto& package : variant.system_packages) spec.path.push_back(package + "/bin");
  spec.environment = options.environment;
  spec.keep_host_paths = options.keep_host_paths;
  spec.argv = {options.python, options.driver, "/run/nixproc-test/variant.json",
               "/run/nixproc-test/failure.json"};
  spec.log_file = dir + "/log";
  return start_machine(spec);
}

std::string failure_reason(const std::string& dir, int status, bool timed_out, int timeout) {
  if (timed_out) return "timed out after " + std::to_string(timeout) + " s";
  std::string text = read_or_empty(dir + "/run/nixproc-test/failure.json");
  if (!text.empty()) {
    try {
      auto failure = nlohmann::json::parse(text);
      std::string reason = failure.value("step", "") + ": " + failure.value("message", "");
      if (failure.contains("command") && failure["command"].is_string())
        reason += "\n  command: " + failure["command"].get<std::string>();
      return reason;
    } catch (const nlohmann::json::exception&) {
    }
  }
  if (status == 125) return "the machine could not be made:\n" + fs::tail_of(dir + "/log", 5);
  return "the test driver ended with status " + std::to_string(status);
}

// A failed variant's log and state (the machine's /var, /run, /tmp, /home
// and what it changed in /etc) go to the results directory.
std::string keep(const std::string& dir, const RunOptions& options, const std::string& attr_path) {
  std::string kept = options.results_dir + "/" + dir_name(attr_path);
  // Not the overlays' work directories, nor the machine's Nix builds.
  for (const char* part : {"etc/work", "root/work", "nix"})
    if (fs::lexists(dir + "/overlay/" + part)) fs::remove_tree(dir + "/overlay/" + part);
  fs::make_directories(options.results_dir);
  check_results_dir(options.results_dir);  // what was made is still ours
  if (fs::lexists(kept)) fs::remove_tree(kept);
  if (::rename(dir.c_str(), kept.c_str()) != 0) {
    RunResult copied = run({"cp", "-a", dir, kept}, capturing());
    if (!copied.ok()) throw Error("cannot keep " + dir + " in " + kept + ": " + copied.err);
    fs::remove_tree(dir);
  }
  return kept;
}

void print_result(const VariantResult& result, bool verbose) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f s", result.seconds);
  switch (result.status) {
    case VariantResult::Passed:
      std::printf("passed   %s (%s)\n", result.attr_path.c_str(), seconds);
      break;
    case VariantResult::Skipped:
      std::printf("skipped  %s: %s\n", result.attr_path.c_str(), result.reason.c_str());
      break;
    case VariantResult::Failed:
      std::printf("FAILED   %s (%s): %s\n", result.attr_path.c_str(), seconds,
                  result.reason.c_str());
      break;
  }
  if (result.status == VariantResult::Failed || verbose) {
    std::string log = result.log;
    if (!verbose) {  // the end of it; all of it is kept
      size_t at = log.size(), lines = 0;
      while (at > 0 && lines <= 40)
        if (log[--at] == '\n') ++lines;
      if (at > 0) log = "...\n" + log.substr(at + 1);
    }
    std::printf("%s", log.c_str());
    if (!result.kept_dir.empty())
      std::printf("  (its log and state are in %s)\n", result.kept_dir.c_str());
  }
  std::fflush(stdout);
}

}  // namespace

void check_results_dir(const std::string& dir) {
  struct stat info;
  if (::lstat(dir.c_str(), &info) != 0) return;
  if (S_ISLNK(info.st_mode) || !S_ISDIR(info.st_mode) || info.st_uid != ::geteuid())
    throw Error("--results " + dir +
                " is not a directory of ours (a symlink, a file or another user's); pick another");
}

std::string skip_reason(const Variant& variant) {
  const std::string& pm = variant.process_manager;
  auto missing = [](const std::string& program) { return find_executable(program).empty(); };
  if (pm == "bsdrc") return "bsdrc scripts run on FreeBSD, not here";
  if (pm == "launchd") return "launchd runs on macOS, not here";
  if (pm == "cygrunsrv") return "cygrunsrv runs on Cygwin, not here";
  if (pm == "s6-rc" && missing("s6-rc-compile")) return "s6-rc's tools are not installed";
  if (pm == "supervisord" && missing("supervisord")) return "supervisord is not installed";
  if (pm == "s6" && missing("s6-svscan")) return "s6 is not installed";
  if (pm == "runit" && missing("runsvdir")) return "runit is not installed";
  if (pm == "systemd" && (!fs::exists("/lib/systemd/systemd") || missing("systemctl")))
    return "systemd is not installed";
  if (pm == "docker" && missing("podman"))
    return "docker variants run with podman, which is not installed";
  return "";
}

std::vector<VariantResult> run_variants(const std::vector<Variant>& variants,
                                        const RunOptions& options, bool& interrupted) {
  struct sigaction action {
  }, old_int{}, old_term{}, old_hup{};
  action.sa_handler = on_interrupt;
  ::sigaction(SIGINT, &action, &old_int);
  ::sigaction(SIGTERM, &action, &old_term);
  ::sigaction(SIGHUP, &action, &old_hup);
  g_interrupted = 0;

  std::vector<VariantResult> results(variants.size());
  std::vector<bool> ended(variants.size());
  std::deque<size_t> pending;
  for (size_t i = 0; i < variants.size(); ++i) {
    results[i].attr_path = variants[i].attr_path;
    if (std::string reason = skip_reason(variants[i]); !reason.empty()) {
      results[i].status = VariantResult::Skipped;
      results[i].reason = reason;
      ended[i] = true;
      print_result(results[i], false);
    } else {
      pending.push_back(i);
    }
  }

  std::map<pid_t, std::pair<size_t, Running>> running;
  auto finish = [&](size_t index, Running& machine, int status) {
    VariantResult& result = results[index];
    ended[index] = true;
    result.seconds = std::chrono::duration<double>(Clock::now() - machine.started).count();
    result.log = read_or_empty(machine.dir + "/log");
    if (status == 0 && !machine.timed_out) {
      result.status = VariantResult::Passed;
      fs::remove_tree(machine.dir);
    } else {
      result.status = VariantResult::Failed;
      result.reason = failure_reason(machine.dir, status, machine.timed_out, options.timeout);
      result.kept_dir = keep(machine.dir, options, result.attr_path);
    }
    print_result(result, options.verbose);
  };

  // Kills every machine still running and removes it (^C, or an error).
  auto stop_all = [&] {
    for (auto& [pid, entry] : running) ::kill(pid, SIGKILL);
    for (auto& [pid, entry] : running) {
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      remove_machine(entry.second.machine);
      fs::remove_tree(entry.second.dir);
    }
    running.clear();
  };

  try {
    while ((!pending.empty() || !running.empty()) && !g_interrupted) {
      while (!pending.empty() && static_cast<int>(running.size()) < std::max(1, options.jobs)) {
        size_t index = pending.front();
        pending.pop_front();
        Running machine{
            options.work_dir + "/" + dir_name(variants[index].attr_path), Clock::now(), {}};
        machine.machine = start(variants[index], options, machine.dir);
        running.emplace(machine.machine.pid, std::make_pair(index, machine));
      }
      int status = 0;
      pid_t reaped = ::waitpid(-1, &status, WNOHANG);
      if (reaped > 0) {
        auto found = running.find(reaped);
        if (found == running.end()) continue;
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        auto [index, machine] = found->second;
        running.erase(found);
        remove_machine(machine.machine);
        finish(index, machine, code);
        continue;
      }
      for (auto& [pid, entry] : running) {
        Running& machine = entry.second;
        if (!machine.timed_out &&
            Clock::now() - machine.started > std::chrono::seconds(options.timeout)) {
          machine.timed_out = true;
          ::kill(pid, SIGKILL);  // PID 1: the whole machine goes
        }
      }
      ::usleep(50 * 1000);
    }
  } catch (...) {
    stop_all();
    throw;
  }

  interrupted = g_interrupted != 0;
  if (interrupted) stop_all();
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGTERM, &old_term, nullptr);
  ::sigaction(SIGHUP, &old_hup, nullptr);
  std::vector<VariantResult> done;  // without the ones an interruption left out
  for (size_t i = 0; i < results.size(); ++i)
    if (ended[i]) done.push_back(results[i]);
  return done;
}

}  // namespace nixproc::testdriver
