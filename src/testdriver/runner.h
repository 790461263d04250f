#pragma once
// Runs variants, each in its own machine, several at a time, and keeps what
// a failed one leaves for the user to look at.
#include <string>
#include <vector>

#include "testdriver/suite.h"

namespace nixproc::testdriver {

struct RunOptions {
  std::string work_dir;           // the machines' directories (removed afterwards)
  std::string results_dir;        // a failed variant's log and state go to <results_dir>/<attrPath>
  std::string driver;             // share/nixproc/test-driver.py
  std::string python;             // the interpreter that runs it
  std::vector<std::string> path;  // PATH entries for every shell in the machines
  std::vector<std::string> environment;      // NAME=value for every shell
  std::vector<std::string> keep_host_paths;  // see MachineSpec
  int jobs = 1;
  int timeout = 900;      // seconds a variant may take
  int wait_timeout = 60;  // the default timeout of the machine.wait_* calls
  bool verbose = false;   // print every variant's log as it ends
};

struct VariantResult {
  enum Status { Passed, Failed, Skipped } status = Failed;
  std::string attr_path;
  double seconds = 0;
  std::string reason;    // why it failed or was skipped
  std::string log;       // the log's text (for --junit and a failure's report)
  std::string kept_dir;  // where a failed variant's log and state are
};

// The results directory gets a failed variant's files and loses an old
// copy: it must be ours, not a link someone put in a shared place. Throws
// when it is not; a missing one is made when needed (and checked again).
void check_results_dir(const std::string& dir);

// Why a variant cannot run here (its process manager or profile), or "".
std::string skip_reason(const Variant& variant);

// Runs the variants; prints a line for each as it ends. Stops early (and
// kills every machine) when SIGINT or SIGTERM arrives: `interrupted` is set.
std::vector<VariantResult> run_variants(const std::vector<Variant>& variants,
                                        const RunOptions& options, bool& interrupted);

// A JUnit XML report of the results.
std::string junit_report(const std::string& suite, const std::vector<VariantResult>& results);

}  // namespace nixproc::testdriver
