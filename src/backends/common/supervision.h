#pragma once
// The core s6 and runit share. Per state directory nixproc runs one scanner
// (s6-svscan, runsvdir) under its keeper, watching a scan directory of links
// to service directories; the scanner starts a supervisor (s6-supervise,
// runsv) for each. A Suite is the plain description of what differs between
// the two: tool names, how to ask a supervisor for its state or to start a
// service, how to wake and to stop the scanner.
#include <functional>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "backends/common/manager_keeper.h"
#include "backends/common/service_info.h"

namespace nixproc {

struct Scanner {
  std::string scan_dir, pid_file, lock_file, log_file;
  std::string tools_dir = "";  // ManagerProcess::tools_dir: the profile's runtime, if known
};

struct Service {
  std::string name;
  std::string dir;        // the live service directory its supervisor runs in
  std::string scan_link;  // <scan_dir>/<name> -> dir
  std::string log_dir;    // where its logger writes `current`
};

// A supervisor's answer, in the words both suites share.
struct SupervisedState {
  enum Seen { Unknown, Up, Restarting, Down } seen = Unknown;  // Restarting: down, wanted up
  long pid = 0;                                                // the supervised process's, when up
  bool ready = false;   // it reported readiness (s6's notification fd)
  std::string summary;  // what `nixproc status` shows
  std::string line;     // the tool's own words, for errors
};

struct Suite {
  const char* name;        // "s6", as in "the profile does not say where s6's scanDir is"
  const char* scanner;     // "s6-svscan": messages, and the lock's owner
  const char* supervisor;  // "supervisor", as in "did not start a supervisor for"
  const char* unwatched;   // the status detail when no supervisor watches the service
  const char* words;       // prefix of `line` in errors ("s6-svstat: "), or ""
  std::vector<std::string> (*command)(const Scanner&);  // the scanner, in the foreground
  // Whether a scanner nixproc did not start (no record) watches the scan
  // directory; start_scanner waits until it does. Null: only nixproc's counts.
  bool (*answers)(const Scanner&) = nullptr;
  void (*rescan)(const Scanner&);        // makes the scanner look at the scan directory
  bool rescans_after_link;               // with_scanner calls rescan after the link
  int supervised_poll_ms, rescan_every;  // wait_until_supervised's pace
  int up_poll_ms;                        // wait_until_up's
  // Asks the scanner to exit before its keeper is stopped.
  void (*ask_to_exit)(const Scanner&, const ManagerProcess&, const DeployOptions&);
  const char* control_dir = nullptr;  // in the scan directory, removed once it stopped
  bool (*is_supervised)(const std::string& dir);
  SupervisedState (*state)(const std::string& dir);
  void (*up)(const std::string& dir);    // wanted up (start)
  void (*down)(const std::string& dir);  // wanted down (TERM)
  // s6: down and not wanted up, once asked up, means it failed (s6-svc -u
  // has marked it wanted by the time it returns). runsv may still be taking
  // `sv up`: keep waiting.
  bool down_after_up_is_failure;
  // What errors about a service add (its log, the scanner's complaints); for
  // a supervisor that never came, and for a service that does not run.
  std::string (*unsupervised_details)(const Service&, const Scanner&);
  std::string (*details)(const Service&, const Scanner&);
};

// One instance of a suite, read from its profile's info.
struct Supervised {
  const Suite* suite;
  std::string key;  // the instance's
  Scanner scanner;
  Service service;
  std::string record;  // its keeper's; "" in profiles from before keepers
};

// Throws instance_error when the info lacks a directory.
Supervised supervised_of(const Suite& suite, const DeployedInstance& instance,
                         const ServiceInfo& info);

// The scanner nixproc started (its record proves it) runs; or, with
// `answers`, any scanner watches the scan directory.
bool scanner_started_by_nixproc(const Suite& suite, const Scanner& scanner);
bool scanner_runs(const Suite& suite, const Scanner& scanner);

// Starts the scanner through nixproc-daemon and its keeper; with `answers`,
// waits until it does. Throws nixproc::Error with the end of its log.
void start_scanner(const Suite& suite, const Scanner& scanner, int timeout_seconds);

// Starts the scanner unless it runs, then calls `link`, with the lock still
// held so no other nixproc stops the scanner in between.
void with_scanner(const Suite& suite, const Scanner& scanner, const DeployOptions& options,
                  const std::function<void()>& link);

// Stops the scanner nixproc started once the scan directory holds no service
// any more, so an undeploy leaves no process behind.
void shut_down_if_idle(const Suite& suite, const Scanner& scanner, const DeployOptions& options);

// Points `link` at `target`; true when that changed the link (it was
// missing, not a link, or pointed elsewhere). Asked of a service's run
// links: true means the running process is not from that file.
bool point(const std::string& target, const std::string& link);

// The store paths of the instance's run scripts (`noun` names them in
// errors: "file", "script"). Looked up first, so a profile without them
// fails before anything is touched.
struct RunScripts {
  std::string run, log_run;
};
RunScripts stored_run_scripts(const DeployedInstance& instance, const ServiceInfo& info,
                              const std::string& noun);

// The service directory's run and log/run pointed at them; true where that
// changed a link.
struct RunLinks {
  bool run_changed = false, log_changed = false;
};
RunLinks link_run_scripts(const Supervised& s, const RunScripts& scripts);

// Links the service into the scan directory (starting the scanner).
void link_service(const Supervised& s, const DeployOptions& options);

// Waits up to 30 s until the scanner has started a supervisor for it.
void wait_until_supervised(const Supervised& s);

// Waits until the service is up with a PID other than `previous_pid`: then
// its keeper runs and confirm waits for it. (Profiles from before keepers:
// ready when it reports readiness, else up with the same PID for a second,
// as supervisord's startsecs=1.) A process that dies meanwhile is an error
// with its log: the supervisor would restart it a second later.
void wait_until_up(const Supervised& s, const DeployOptions& options, bool reports_readiness,
                   long previous_pid);

// Waits for the keeper to say the start succeeded; a failed start is taken
// down, or the supervisor would retry it every second and the next start
// take one of those attempts for its own.
void confirm_supervised(const Supervised& s, const DeployOptions& options);

InstanceStatus supervised_status(const Supervised& s);

// Ends what a keeper that was killed left running.
void end_leftovers(const Supervised& s, const DeployOptions& options);

// The end of the service's own log, for errors.
std::string service_log_tail(const Service& service);

}  // namespace nixproc
