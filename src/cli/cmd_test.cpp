// `nixproc test SUITE`: runs a testService suite's variants (configuration
// profile x process manager), each in a throwaway machine of Linux
// namespaces, and reports a line per variant.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "cli/common.h"
#include "model/load.h"
#include "nixstore/nix_store.h"
#include "testdriver/machine.h"
#include "testdriver/runner.h"
#include "testdriver/suite.h"
#include "util/error.h"
#include "util/exit_codes.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/subprocess.h"

namespace nixproc::cli {

namespace {

struct TestOptions {
  std::string suite;
  std::string attr_path;
  std::string process_managers, profiles;
  std::string results_dir = "nixproc-test-results";
  std::string junit;
  bool list = false;
  bool show_trace = false;
  int eval_timeout = model::kDefaultEvalTimeout;
  testdriver::RunOptions run;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) items.push_back(item);
  return items;
}

// The variables of the caller's environment that reach the machines' shells:
// how Nix is configured and where nixproc's data is. Not NIXPROC_HOME or the
// state directories: a machine has its own.
std::vector<std::string> passed_environment() {
  std::vector<std::string> passed;
  for (char** entry = environ; *entry; ++entry) {
    std::string variable = *entry;
    std::string name = variable.substr(0, variable.find('='));
    if (name.rfind("NIX_", 0) == 0 || name == "NIXPROC_DATA_DIR") passed.push_back(variable);
  }
  return passed;
}

// Where nixproc and the suite are: they stay visible in the machines when
// they live below a directory a machine replaces (/tmp, /home, ...).
std::vector<std::string> host_paths(const Installation& installation, const std::string& suite) {
  return {fs::real_path(installation.nix_dir), fs::real_path(installation.libexec_dir),
          fs::real_path(installation.share_dir),
          fs::real_path(fs::dirname(fs::absolute_path(suite)))};
}

// Builds what the variants' scripts refer to in the Nix store.
void realise_context(const std::vector<testdriver::Variant>& variants, const NixStore& store) {
  std::vector<std::string> argv = {"nix-store"};
  for (const auto& option : nix_store_options(store)) argv.push_back(option);
  argv.push_back("--realise");
  std::set<std::string> paths;
  for (const auto& variant : variants) paths.insert(variant.context.begin(), variant.context.end());
  if (paths.empty()) return;
  argv.insert(argv.end(), paths.begin(), paths.end());
  RunResult built = run(argv, capturing());
  if (!built.ok())
    throw Error("building what the suite's tests refer to failed (nix-store " + built.describe() +
                "):\n" + built.err);
}

int run_tests(TestOptions& options) {
  Installation installation = locate_installation();
  std::string problem = testdriver::machine_support_problem();
  if (!problem.empty() && !options.list) throw Error(problem);
  // What nixproc sets when it evaluates a model, so the suite sees the same.
  ::setenv("NIXPROC_LIBEXEC_DIR", installation.libexec_dir.c_str(), 1);

  testdriver::SuiteQuery query;
  query.file = options.suite;
  query.attr_path = options.attr_path;
  query.process_managers = split_list(options.process_managers);
  query.profiles = split_list(options.profiles);
  query.eval_timeout = options.eval_timeout;
  query.show_trace = options.show_trace;
  Home home = resolve_home(std::nullopt);
  NixStore store = choose_nix_store("", home);
  auto variants = testdriver::evaluate_suite(query, installation, compat_search_path(installation),
                                             nix_store_options(store));
  if (options.list) {
    for (const auto& variant : variants) {
      std::string reason = testdriver::skip_reason(variant);
      std::printf("%s%s\n", variant.attr_path.c_str(),
                  reason.empty() ? "" : ("  (skipped: " + reason + ")").c_str());
    }
    return 0;
  }
  realise_context(variants, store);

  testdriver::RunOptions& run = options.run;
  std::string python =
      fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : find_executable("python3");
  if (python.empty())
    throw Error("nixproc test runs its test scripts with python3, which is not installed");
  run.python = fs::real_path(python);
  run.driver = installation.share_dir + "/test-driver.py";
  if (!fs::exists(run.driver)) throw Error("cannot find the test driver " + run.driver);
  run.path = {fs::dirname(fs::real_path("/proc/self/exe"))};
  if (run.path[0] != fs::real_path(installation.libexec_dir))
    run.path.push_back(fs::real_path(installation.libexec_dir));
  run.environment = passed_environment();
  run.keep_host_paths = host_paths(installation, options.suite);
  run.results_dir = fs::absolute_path(options.results_dir);
  testdriver::check_results_dir(run.results_dir);
  const char* tmp = std::getenv("TMPDIR");
  std::string base = tmp && *tmp ? tmp : "/tmp";
  char pattern[4096];
  std::snprintf(pattern, sizeof pattern, "%s/nixproc-test-XXXXXX", base.c_str());
  if (!::mkdtemp(pattern))
    throw Error("cannot create a directory in " + base + ": " + fs::errno_text());
  run.work_dir = pattern;
  run.verbose = log::verbose();

  bool interrupted = false;
  std::vector<testdriver::VariantResult> results;
  try {
    results = testdriver::run_variants(variants, run, interrupted);
  } catch (...) {
    fs::remove_tree(run.work_dir);
    throw;
  }
  fs::remove_tree(run.work_dir);

  int passed = 0, failed = 0, skipped = 0;
  for (const auto& result : results) {
    if (result.status == testdriver::VariantResult::Passed) ++passed;
    if (result.status == testdriver::VariantResult::Failed) ++failed;
    if (result.status == testdriver::VariantResult::Skipped) ++skipped;
  }
  if (!options.junit.empty())
    fs::write_file_atomic(options.junit,
                          testdriver::junit_report(fs::basename(options.suite), results));
  std::printf("%d passed, %d failed, %d skipped%s\n", passed, failed, skipped,
              interrupted ? " (interrupted)" : "");
  if (interrupted) return kExitInterrupted;
  return failed == 0 ? kExitSuccess : kExitFailure;
}

}  // namespace

void register_test(CLI::App& app, Action& action) {
  auto options = std::make_shared<TestOptions>();
  auto* command = app.add_subcommand(
      "test",
      "Run a testService suite: every variant (profile x process manager) in its own throwaway "
      "machine of Linux namespaces; a line per variant, exit status 1 when one fails");
  command->add_option("suite", options->suite, "The suite's Nix file")->required();
  command->add_option("-A,--attr", options->attr_path,
                      "Only the variants below this attribute path "
                      "(nginx-reverse-proxy-hostbased.unprivileged.sysvinit)");
  command->add_option("--process-managers", options->process_managers,
                      "Comma-separated process managers to test, for suites that take "
                      "processManagers (default: the suite's)");
  command->add_option("--profiles", options->profiles,
                      "Comma-separated profiles: privileged, unprivileged (default: the suite's)");
  command->add_option("-j,--jobs", options->run.jobs, "Variants run at the same time")
      ->default_val(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)))
      ->check(CLI::PositiveNumber);
  command->add_option("--timeout", options->run.timeout, "Seconds a variant may take")
      ->default_val(900)
      ->check(CLI::PositiveNumber);
  command
      ->add_option("--wait-timeout", options->run.wait_timeout,
                   "Default seconds of machine.wait_for_* and wait_until_* calls")
      ->default_val(60)
      ->check(CLI::PositiveNumber);
  command
      ->add_option("--results", options->results_dir,
                   "Where a failed variant's log and state are kept, in <attrPath>/")
      ->default_val("nixproc-test-results");
  command->add_option("--junit", options->junit, "Also write a JUnit XML report to this file");
  command->add_flag("--list", options->list, "Print the variants and do not run them");
  command->add_flag("--show-trace", options->show_trace, "Show Nix's trace on evaluation errors");
  command
      ->add_option("--eval-timeout", options->eval_timeout,
                   "Seconds the suite's evaluation may take (0: no limit)")
      ->default_val(model::kDefaultEvalTimeout);
  command->callback([options, &action] { action = [options] { return run_tests(*options); }; });
}

}  // namespace nixproc::cli
