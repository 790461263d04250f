#include "daemon/instance_control.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace nixproc::daemon {

namespace {

using Clock = std::chrono::steady_clock;

std::vector<ProcessIdentity> running(const std::vector<ProcessIdentity>& processes) {
  std::vector<ProcessIdentity> alive;
  for (const auto& process : processes)
    if (still_runs(process)) alive.push_back(process);
  return alive;
}

bool contains(const std::vector<ProcessIdentity>& processes, const ProcessIdentity& process) {
  return std::find(processes.begin(), processes.end(), process) != processes.end();
}

// The processes and everything that descends from them now.
std::vector<ProcessIdentity> with_descendants(const std::vector<ProcessIdentity>& processes) {
  std::vector<ProcessIdentity> all = running(processes);
  auto table = process_table();
  for (size_t i = 0; i < all.size(); ++i)
    for (const auto& descendant : live_descendants(table, all[i].pid))
      if (!contains(all, descendant)) all.push_back(descendant);
  return all;
}

void send(const std::vector<ProcessIdentity>& processes, int signal) {
  for (const auto& process : processes) signal_process(process, signal);
}

bool wait_until_gone(const std::vector<ProcessIdentity>& processes, Clock::time_point deadline) {
  for (;;) {
    if (running(processes).empty()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

const char* state_name(InstanceState::Kind kind) {
  switch (kind) {
    case InstanceState::Stopped:
      return "stopped";
    case InstanceState::Starting:
      return "starting";
    case InstanceState::Running:
      return "running";
    case InstanceState::Stopping:
      return "stopping";
    case InstanceState::Orphaned:
      return "orphaned";
  }
  return "unknown";
}

InstanceState inspect_instance(const std::string& record_dir) {
  InstanceState state;
  RecordRead read = read_record(record_dir);
  state.problem = read.problem;
  if (!read.record) return state;
  const InstanceRecord& record = *read.record;
  bool keeper = still_runs(record.keeper);
  bool main = record.main.known() && still_runs(record.main);
  if (keeper) state.keeper = record.keeper.pid;
  if (main) state.main = record.main.pid;
  if (keeper)
    state.kind = main ? InstanceState::Running
                      : (record.main.known() ? InstanceState::Stopping : InstanceState::Starting);
  else if (main)
    state.kind = InstanceState::Orphaned;
  return state;
}

std::vector<ProcessIdentity> end_processes(std::vector<ProcessIdentity> processes,
                                           int timeout_seconds) {
  auto deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  std::vector<ProcessIdentity> signalled;
  // New processes may appear while the old ones handle TERM (a master
  // starting a worker): each round signals what descends from them now.
  for (;;) {
    processes = with_descendants(processes);
    std::vector<ProcessIdentity> fresh;
    for (const auto& process : processes)
      if (!contains(signalled, process)) fresh.push_back(process);
    send(fresh, SIGTERM);
    send(fresh, SIGCONT);  // a stopped process would never see the TERM
    signalled.insert(signalled.end(), fresh.begin(), fresh.end());
    if (processes.empty() || Clock::now() >= deadline) break;
    wait_until_gone(processes, std::min(deadline, Clock::now() + std::chrono::milliseconds(200)));
  }
  processes = with_descendants(processes);
  send(processes, SIGKILL);
  wait_until_gone(processes, Clock::now() + std::chrono::seconds(2));
  return running(processes);
}

StopResult stop_instance(const std::string& record_dir, int timeout_seconds) {
  StopResult result;
  RecordRead read = read_record(record_dir);
  result.problem = read.problem;
  if (!read.record) return result;
  const InstanceRecord& record = *read.record;
  std::vector<ProcessIdentity> left;
  if (still_runs(record.keeper)) {
    result.was_running = true;
    // What the keeper looks after now, in case it has to be killed.
    left = with_descendants({record.keeper});
    signal_process(record.keeper, SIGTERM);
    // The keeper takes up to the timeout for the main process, and again for
    // what the main process leaves behind.
    auto deadline = Clock::now() + std::chrono::seconds(2 * timeout_seconds + 5);
    if (!wait_until_gone({record.keeper}, deadline)) {
      left = with_descendants(left);
      signal_process(record.keeper, SIGKILL);
      wait_until_gone({record.keeper}, Clock::now() + std::chrono::seconds(2));
    }
  }
  if (record.main.known()) left.push_back(record.main);
  left = running(left);
  if (!left.empty()) {
    result.was_running = true;
    result.survivors = end_processes(left, timeout_seconds);
  }
  if (result.survivors.empty() && !still_runs(record.keeper))
    ::unlink((record_dir + "/record").c_str());
  return result;
}

bool signal_instance(const std::string& record_dir, int signal) {
  RecordRead read = read_record(record_dir);
  if (!read.record) return false;
  const InstanceRecord& record = *read.record;
  if (!record.main.known() || !still_runs(record.main)) return false;
  // The keeper passes signals on; an orphan gets them directly.
  return signal_process(still_runs(record.keeper) ? record.keeper : record.main, signal);
}

}  // namespace nixproc::daemon
