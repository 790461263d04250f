#pragma once
// A test suite (testService calls) evaluated into the variants to run.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/installation.h"

namespace nixproc::testdriver {

struct Variant {
  std::string attr_path;                     // "nginx-reverse-proxy-hostbased.privileged.sysvinit"
  std::string name;                          // the suite's name (testService `name`)
  std::string profile;                       // privileged, unprivileged
  std::string process_manager;               // the backend it deploys with
  std::string user;                          // who deploys; empty: root
  nlohmann::json steps;                      // [{kind, phase, text}], in the order they run
  std::vector<std::string> system_packages;  // store paths or prefixes whose bin/ go on PATH
  std::vector<std::string> context;          // store paths the steps refer to (built first)
};

struct SuiteQuery {
  std::string file;       // the suite's Nix file
  std::string attr_path;  // -A: the variants below this attribute path; empty: all
  std::vector<std::string> process_managers;  // --process-managers; empty: the suite's own
  std::vector<std::string> profiles;          // --profiles; empty: the suite's own
  int eval_timeout = 60;
  bool show_trace = false;
};

// Evaluates the suite (nothing is built). Errors carry Nix's message.
// `store_options` name the Nix store the suite's derivations and path
// literals are written to.
std::vector<Variant> evaluate_suite(const SuiteQuery& query, const Installation& installation,
                                    const std::vector<std::string>& search_path,
                                    const std::vector<std::string>& store_options);

// Parses nix/eval-tests.nix's output; exposed for the unit tests.
std::vector<Variant> variants_from_json(const nlohmann::json& evaluated);

}  // namespace nixproc::testdriver
