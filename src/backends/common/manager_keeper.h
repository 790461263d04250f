#pragma once
// The process managers nixproc starts for a state directory itself
// (supervisord, s6-svscan, runsvdir) run under a keeper too, so nixproc
// recognises them by their record, never by a PID file, and their stop
// leaves nothing behind.
#include <string>
#include <vector>

namespace nixproc {

struct ManagerProcess {
  std::string what;                    // "s6-svscan on DIR", for messages
  std::string record;                  // manager_record_dir(...)
  std::string pid_file;                // written for people to look at; never trusted
  bool keeper_writes_pid_file = true;  // false: the manager writes its own (supervisord)
  std::string log_file;
  std::vector<std::string> command;  // in the foreground
  // Where nixproc-daemon and the keeper are: the profile's runtime (its
  // bin/), as the manifest says; empty in profiles from before it did: this
  // installation's.
  std::string tools_dir = "";
};

// The record of the manager whose PID file nixproc names `pid_file`
// (<runtimeDir>/nixproc-<manager>.pid): <runtimeDir>/nixproc-managers/<manager>.
std::string manager_record_for(const std::string& pid_file, const std::string& manager);

// Starts the manager detached (nixproc-daemon and the keeper from
// `tools_dir`), after clearing debris at its PID file. Throws
// nixproc::Error with the end of its log when it does not start.
void start_manager(const ManagerProcess& manager, int timeout_seconds);

// Whether the manager nixproc started runs, as its record proves.
bool manager_runs(const std::string& record);

// Stops it: TERM to its keeper, and whatever it leaves is ended.
void stop_manager(const ManagerProcess& manager, int timeout_seconds);

}  // namespace nixproc
