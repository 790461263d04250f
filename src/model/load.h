#pragma once
// Turning a model file (.nix or .json) into a validated Model.
#include <string>
#include <utility>
#include <vector>

#include "model/model.h"
#include "util/json_input.h"

namespace nixproc::model {

// --eval-timeout's default: a model that loops is stopped after a minute.
inline constexpr int kDefaultEvalTimeout = 60;

struct EvalInputs {
  json params = json::object();  // the common parameters (stateDir, processManager, ...)
  std::string extra_params;      // --extra-params: a JSON object or a Nix attribute set expression
  std::string ids_file;   // --ids: ID assignments whose `ids` become the model's ids parameter
  std::string nix_dir;    // nixproc's Nix library (becomes <nixproc>)
  std::string store_dir;  // where writeTextFile places its files
  // The Nix store the model is evaluated against (nix_store_options), and
  // more search path entries (-I) and environment for the evaluation.
  std::vector<std::string> nix_options;
  std::vector<std::string> search_path;
  std::vector<std::string> environment;
  std::string libexec_dir;  // nixproc's helper programs and the example webapp
  bool show_trace = false;
  int eval_timeout = kDefaultEvalTimeout;  // seconds nix-instantiate may take; 0: no limit
  std::vector<std::string> config_types;   // parse_model's: the backends' native types
};

// The parameters nixproc passes a model: `inputs.params` with --extra-params
// merged in when it is a JSON object. A Nix attribute set expression cannot be
// merged here; Nix applies it (`params // (expression)`).
struct ModelParams {
  json params;
  std::string nix_extra_params;  // --extra-params when it is a Nix expression, else empty
};
ModelParams model_params(const EvalInputs& inputs);

// Whether a model file is read as the evaluated JSON form (it ends in .json).
bool is_json_model(const std::string& path);

// A path ending in .json is read as the evaluated form; anything else is
// evaluated with nix-instantiate. Errors carry Nix's message or the JSON
// parser's position.
LoadedModel load_model(const std::string& path, const EvalInputs& inputs);

// The evaluation alone: the evaluated JSON and the files the model generated.
LoadedModel evaluate_nix_model(const std::string& path, const EvalInputs& inputs);

// Evaluates nixproc's Nix file `expr_file` (a function of string arguments)
// strictly to JSON; nothing is built. `what` names the input in errors; an
// evaluation longer than `timeout_seconds` (0: no limit) is stopped.
// `search_path`: more -I entries. With `store_options` (nix_store_options)
// the evaluation may write to that store (path literals, derivations).
json evaluate_nix_file(const std::string& expr_file,
                       const std::vector<std::pair<std::string, std::string>>& string_args,
                       const std::string& nix_dir, const std::string& what, int timeout_seconds,
                       const std::vector<std::string>& search_path = {},
                       const std::vector<std::string>* store_options = nullptr,
                       bool show_trace = false);

// A file of plain data: .json is parsed, anything else evaluated as Nix (a
// function is applied to no arguments). `what` names it in errors ("--ids").
json load_data_file(const std::string& path, const std::string& nix_dir, const std::string& what,
                    int timeout_seconds);

}  // namespace nixproc::model
