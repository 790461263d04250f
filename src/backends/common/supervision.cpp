#include "backends/common/supervision.h"

#include <unistd.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "backends/common/info.h"
#include "backends/common/keeper.h"
#include "backends/common/process_control.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/lock.h"

namespace nixproc {

namespace {

using Clock = std::chrono::steady_clock;

// Instances are activated in parallel; one of them starts the scanner. The
// file lock keeps other nixproc processes out, the mutex other threads (a
// second flock on the same file from this process would wait for the first).
std::mutex scanner_mutex;

const std::string& required(const Suite& suite, const std::string& key, const std::string& value,
                            const char* field) {
  if (value.empty())
    throw instance_error(
        key, std::string("the profile does not say where ") + suite.name + "'s " + field + " is");
  return value;
}

ManagerProcess manager_of(const Suite& suite, const Scanner& scanner) {
  return {std::string(suite.scanner) + " on " + scanner.scan_dir,
          manager_record_for(scanner.pid_file, suite.scanner),
          scanner.pid_file,
          true,
          scanner.log_file,
          suite.command(scanner),
          scanner.tools_dir};
}

}  // namespace

Supervised supervised_of(const Suite& suite, const DeployedInstance& instance,
                         const ServiceInfo& info) {
  Supervised s{&suite, instance.key, {}, {}, info.record};
  const std::string& key = instance.key;
  s.scanner = {required(suite, key, info.scan_dir, "scanDir"),
               required(suite, key, info.pid_file, "pidFile"),
               required(suite, key, info.lock_file, "lockFile"),
               required(suite, key, info.log_file, "logFile"),
               info.runtime ? *info.runtime + "/bin" : ""};
  s.service.name = info.service.value_or(instance.name);
  s.service.dir = required(suite, key, info.service_dir, "serviceDir");
  s.service.scan_link = s.scanner.scan_dir + "/" + s.service.name;
  s.service.log_dir = info.log_dir;
  return s;
}

bool scanner_started_by_nixproc(const Suite& suite, const Scanner& scanner) {
  return manager_runs(manager_of(suite, scanner).record);
}

bool scanner_runs(const Suite& suite, const Scanner& scanner) {
  return scanner_started_by_nixproc(suite, scanner) || (suite.answers && suite.answers(scanner));
}

void start_scanner(const Suite& suite, const Scanner& scanner, int timeout_seconds) {
  fs::make_directories(scanner.scan_dir);
  fs::make_directories(fs::dirname(scanner.pid_file));
  start_manager(manager_of(suite, scanner), timeout_seconds);
  if (!suite.answers) return;
  // It may still exit (another one holds the directory's lock), or not
  // listen yet.
  auto deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  while (!suite.answers(scanner)) {
    if (!scanner_started_by_nixproc(suite, scanner) || Clock::now() > deadline)
      throw Error(std::string(suite.scanner) + " on " + scanner.scan_dir +
                  " did not come up; the end of " + scanner.log_file + ":\n" +
                  fs::tail_of(scanner.log_file, 10));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void with_scanner(const Suite& suite, const Scanner& scanner, const DeployOptions& options,
                  const std::function<void()>& link) {
  std::lock_guard lock(scanner_mutex);
  fs::make_directories(fs::dirname(scanner.lock_file));
  FileLock file_lock(scanner.lock_file, true, suite.scanner);
  if (!scanner_runs(suite, scanner)) start_scanner(suite, scanner, options.activity_timeout);
  link();
  if (suite.rescans_after_link) suite.rescan(scanner);
}

void shut_down_if_idle(const Suite& suite, const Scanner& scanner, const DeployOptions& options) {
  std::lock_guard lock(scanner_mutex);
  if (!fs::exists(fs::dirname(scanner.lock_file))) return;
  FileLock file_lock(scanner.lock_file, true, suite.scanner);
  for (const auto& entry : fs::list_directory(scanner.scan_dir))
    if (entry[0] != '.') return;
  // Only the scanner nixproc started: one run another way stays.
  if (!scanner_started_by_nixproc(suite, scanner)) return;
  ManagerProcess manager = manager_of(suite, scanner);
  suite.ask_to_exit(scanner, manager, options);
  stop_manager(manager, options.stop_timeout);
  // A new scanner makes its control directory again.
  if (suite.control_dir) {
    std::string control = scanner.scan_dir + "/" + suite.control_dir;
    if (fs::exists(control)) fs::remove_tree(control);
  }
}

bool point(const std::string& target, const std::string& link) {
  if (fs::is_symlink(link) && fs::read_link(link) == target) return false;
  fs::replace_symlink(target, link);
  return true;
}

RunScripts stored_run_scripts(const DeployedInstance& instance, const ServiceInfo& info,
                              const std::string& noun) {
  return {stored_file(instance, info.run, "run " + noun),
          stored_file(instance, info.log_run, "logRun " + noun)};
}

RunLinks link_run_scripts(const Supervised& s, const RunScripts& scripts) {
  fs::make_directories(s.service.dir + "/log");
  RunLinks links;
  links.run_changed = point(scripts.run, s.service.dir + "/run");
  links.log_changed = point(scripts.log_run, s.service.dir + "/log/run");
  return links;
}

void link_service(const Supervised& s, const DeployOptions& options) {
  with_scanner(*s.suite, s.scanner, options, [&] { point(s.service.dir, s.service.scan_link); });
}

void wait_until_supervised(const Supervised& s) {
  const Suite& suite = *s.suite;
  auto deadline = Clock::now() + std::chrono::seconds(30);
  // A scanner rescanned after the link is asked again only `rescan_every`
  // polls later; one that was not, at once.
  for (int i = suite.rescans_after_link ? 1 : 0; !suite.is_supervised(s.service.dir); ++i) {
    if (Clock::now() > deadline)
      throw instance_error(s.key, std::string(suite.scanner) + " did not start a " +
                                      suite.supervisor + " for " + s.service.scan_link +
                                      " within 30 s" +
                                      suite.unsupervised_details(s.service, s.scanner));
    if (i % suite.rescan_every == 0) suite.rescan(s.scanner);
    std::this_thread::sleep_for(std::chrono::milliseconds(suite.supervised_poll_ms));
  }
}

void wait_until_up(const Supervised& s, const DeployOptions& options, bool reports_readiness,
                   long previous_pid) {
  const Suite& suite = *s.suite;
  const Service& service = s.service;
  auto deadline = Clock::now() + std::chrono::seconds(options.activity_timeout);
  long pid = 0;
  Clock::time_point since, down_since;
  bool down = false, asked = false;
  auto exited = [&](const SupervisedState& state) {
    return instance_error(s.key, service.name + " exited right after it started (" + suite.words +
                                     state.line + ")" + suite.details(service, s.scanner));
  };
  auto count_down = [&](const SupervisedState& state) {
    if (pid != 0) throw exited(state);
    if (!down) down_since = Clock::now();
    down = true;
    if (Clock::now() - down_since > std::chrono::milliseconds(1500)) throw exited(state);
  };
  for (;;) {
    SupervisedState state = suite.state(service.dir);
    if (state.seen == SupervisedState::Up && state.pid != previous_pid) {
      down = false;
      if (!s.record.empty()) {
        note_start(s.record, static_cast<pid_t>(state.pid));
        return;
      }
      if (pid == 0) {
        pid = state.pid;
        since = Clock::now();
      } else if (state.pid != pid) {
        throw exited(state);
      }
      if (reports_readiness ? state.ready : Clock::now() - since >= std::chrono::seconds(1)) return;
    } else if (state.seen == SupervisedState::Restarting) {
      count_down(state);
    } else if (state.seen == SupervisedState::Down) {
      if (suite.down_after_up_is_failure && pid != 0) throw exited(state);
      if (!asked) {
        suite.up(service.dir);
        asked = true;
        continue;
      }
      if (suite.down_after_up_is_failure) count_down(state);
    }
    if (Clock::now() > deadline)
      throw instance_error(
          s.key, service.name + " is not " + (reports_readiness ? "ready" : "running") + " after " +
                     std::to_string(options.activity_timeout) + " s (" + suite.words + state.line +
                     ")" + suite.details(service, s.scanner));
    std::this_thread::sleep_for(std::chrono::milliseconds(suite.up_poll_ms));
  }
}

void confirm_supervised(const Supervised& s, const DeployOptions& options) {
  try {
    confirm_start(instance_label(s.key), s.record, options.activity_timeout,
                  [&] { return s.suite->details(s.service, s.scanner); });
  } catch (const Error&) {
    if (s.suite->is_supervised(s.service.dir)) s.suite->down(s.service.dir);
    throw;
  }
}

InstanceStatus supervised_status(const Supervised& s) {
  const Suite& suite = *s.suite;
  InstanceStatus status;
  if (!suite.is_supervised(s.service.dir)) {
    status.state = RunState::Stopped;
    status.detail = scanner_runs(suite, s.scanner) ? suite.unwatched
                                                   : std::string(suite.scanner) + " is not running";
    return status;
  }
  SupervisedState state = suite.state(s.service.dir);
  status.detail = state.summary;
  if (state.seen == SupervisedState::Up) {
    status.state = RunState::Running;
    status.pid = main_pid_behind(s.record, state.pid);
  } else if (state.seen != SupervisedState::Unknown) {
    status.state = RunState::Stopped;
  }
  return status;
}

void end_leftovers(const Supervised& s, const DeployOptions& options) {
  if (!s.record.empty())
    end_instance_leftovers(instance_label(s.key), s.record, options.stop_timeout);
}

std::string service_log_tail(const Service& service) {
  std::string log = fs::tail_of(service.log_dir + "/current", 10);
  return log.empty() ? "" : "\nthe end of " + service.log_dir + "/current:\n" + log;
}

}  // namespace nixproc
