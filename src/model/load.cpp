#include "model/load.h"

#include <cstdlib>

#include "model/fields.h"
#include "nixstore/realise.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/quote.h"
#include "util/subprocess.h"
#include "util/timer.h"

namespace nixproc::model {

static bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

static const std::string kTracePrefix = "trace: nixproc-file ";
static const std::string kContextPrefix = "trace: nixproc-context ";

// One `trace: nixproc-file {...}` record of writeTextFile. A model can print
// such lines itself (builtins.trace), so every field is checked.
static GeneratedFile generated_file(const std::string& record_text) {
  const std::string what = "a file the model generated (writeTextFile)";
  json record = parse_json_text(record_text, what);
  FieldReader reader(record, what);
  auto required = [&](const char* field) {
    auto value = reader.optional_string(field);
    if (!value) reader.fail(field, "missing");
    return *value;
  };
  GeneratedFile file;
  file.path = required("path");
  file.name = required("name");
  file.text = required("text");
  file.executable = reader.boolean_or("executable", false);
  reader.reject_unknown_fields();
  return file;
}

// One `trace: nixproc-context {...}` record of eval-model.nix: a string of
// an instance's config and its Nix string context (builtins.getContext).
static void add_context(const std::string& record_text, LoadedModel& loaded) {
  const std::string what = "a store reference the model reported";
  json record = parse_json_text(record_text, what);
  if (!record.is_object() || !record.value("instance", json()).is_string() ||
      !record.value("context", json()).is_object())
    throw Error(what + ": expected {\"instance\": ..., \"context\": {...}}");
  auto& needs = loaded.nix_needs[record["instance"].get<std::string>()];
  for (auto& [path, entry] : record["context"].items()) {
    if (!entry.is_object()) throw Error(what + ": " + quote(path, 200) + ": expected an object");
    std::vector<std::string> outputs;
    for (const auto& output : entry.value("outputs", json::array()))
      if (output.is_string()) outputs.push_back(output.get<std::string>());
    for (auto& argument : realise_arguments(path, entry.value("path", false),
                                            entry.value("allOutputs", false), outputs))
      needs.insert(std::move(argument));
  }
}

// Splits nix-instantiate's stderr into generated files, store references
// and everything else. `loaded` is null for evaluations of data.
static std::string collect_reports(const std::string& stderr_text, LoadedModel* loaded) {
  std::string rest;
  size_t start = 0;
  while (start < stderr_text.size()) {
    size_t end = stderr_text.find('\n', start);
    if (end == std::string::npos) end = stderr_text.size();
    std::string line = stderr_text.substr(start, end - start);
    start = end + 1;
    if (loaded && line.rfind(kTracePrefix, 0) == 0) {
      loaded->files.push_back(generated_file(line.substr(kTracePrefix.size())));
    } else if (loaded && line.rfind(kContextPrefix, 0) == 0) {
      add_context(line.substr(kContextPrefix.size()), *loaded);
    } else {
      rest += line + "\n";
    }
  }
  return rest;
}

static std::string trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\n") - begin + 1);
}

ModelParams model_params(const EvalInputs& inputs) {
  ModelParams result{inputs.params, ""};
  std::string extra = trim(inputs.extra_params);
  if (extra.empty()) return result;
  // JSON when it parses as JSON; anything else is a Nix expression.
  if (!json::accept(extra)) {
    result.nix_extra_params = extra;
    return result;
  }
  json as_json = parse_json_text(extra, "--extra-params");
  if (!as_json.is_object())
    throw Error("--extra-params: expected an attribute set or a JSON object");
  if (auto where = find_nul_byte(as_json))
    throw Error("--extra-params: " + *where + ": a string holds a NUL byte");
  for (auto& [name, value] : as_json.items()) result.params[name] = value;
  return result;
}

bool is_json_model(const std::string& path) {
  return ends_with(path, ".json");
}

// nix-instantiate's command line for a strict evaluation to JSON. A model
// is evaluated against the Nix store its software is built in (in read-write
// mode, so derivations and path literals land there); data files build
// nothing and need no store.
static std::vector<std::string> eval_command(const std::string& expr_file,
                                             const std::string& nix_dir,
                                             const std::vector<std::string>* store_options) {
  std::vector<std::string> argv = {"nix-instantiate"};
  if (store_options) {
    argv.insert(argv.end(), store_options->begin(), store_options->end());
    argv.push_back("--read-write-mode");
  } else if (!std::getenv("NIX_REMOTE")) {
    argv.insert(argv.end(), {"--store", "dummy://"});
  }
  argv.insert(argv.end(), {"--eval", "--strict", "--json", expr_file, "-I", "nixproc=" + nix_dir});
  return argv;
}

// Runs nix-instantiate and returns its standard output; a failure, or an
// evaluation that outlives `timeout_seconds`, is an error naming `what`.
// `loaded` collects what the model reported (generated files, references).
static std::string run_nix(const std::vector<std::string>& argv, SpawnOptions options,
                           const std::string& what, int timeout_seconds,
                           LoadedModel* loaded = nullptr) {
  options.capture_stdout = options.capture_stderr = true;
  options.timeout_seconds = timeout_seconds;
  RunResult result;
  try {
    result = run(argv, options);
  } catch (const Error& error) {
    throw Error(std::string(error.what()) +
                " (Nix models need nix-instantiate: apt-get install nix-bin; or use a .json file)");
  }
  std::string messages = trim(collect_reports(result.err, loaded));
  if (result.timed_out)
    throw Error("cannot evaluate " + what + ": the evaluation did not finish within " +
                std::to_string(timeout_seconds) +
                " s and was stopped (raise the limit with --eval-timeout SECONDS or "
                "NIXPROC_EVAL_TIMEOUT; 0 means no limit)");
  if (!result.ok())
    throw Error("cannot evaluate " + what + ":\n" +
                (messages.empty() ? result.describe() : messages));
  return std::move(result.out);
}

json evaluate_nix_file(const std::string& expr_file,
                       const std::vector<std::pair<std::string, std::string>>& string_args,
                       const std::string& nix_dir, const std::string& what, int timeout_seconds,
                       const std::vector<std::string>& search_path,
                       const std::vector<std::string>* store_options, bool show_trace) {
  std::vector<std::string> argv = eval_command(expr_file, nix_dir, store_options);
  for (const auto& [name, value] : string_args) argv.insert(argv.end(), {"--argstr", name, value});
  for (const auto& entry : search_path) argv.insert(argv.end(), {"-I", entry});
  if (show_trace) argv.push_back("--show-trace");
  return parse_json_text(run_nix(argv, {}, what, timeout_seconds), "the evaluation of " + what);
}

json load_data_file(const std::string& path, const std::string& nix_dir, const std::string& what,
                    int timeout_seconds) {
  if (ends_with(path, ".json")) return parse_json_text(fs::read_input_file(path, what + ":"), path);
  fs::check_input_file(path, what + ":");
  return evaluate_nix_file(nix_dir + "/eval-data.nix", {{"file", fs::absolute_path(path)}}, nix_dir,
                           path, timeout_seconds);
}

LoadedModel evaluate_nix_model(const std::string& path, const EvalInputs& inputs) {
  ModelParams params = model_params(inputs);
  if (!inputs.ids_file.empty() && params.params.contains("ids"))
    throw Error("--extra-params sets ids and --ids gives them too: use one of them");
  // Nix reads the ids file itself; a JSON one is checked here first, as every
  // JSON nixproc is given.
  if (is_json_model(inputs.ids_file))
    parse_json_text(fs::read_input_file(inputs.ids_file, "--ids:"), inputs.ids_file);
  std::vector<std::string> argv =
      eval_command(inputs.nix_dir + "/eval-model.nix", inputs.nix_dir, &inputs.nix_options);
  for (const auto& entry : inputs.search_path) argv.insert(argv.end(), {"-I", entry});
  argv.insert(argv.end(), {"--arg", "exprFile", fs::absolute_path(path)});
  if (!inputs.ids_file.empty())
    argv.insert(argv.end(), {"--argstr", "idsFile", fs::absolute_path(inputs.ids_file)});
  if (!params.nix_extra_params.empty())
    argv.insert(argv.end(), {"--arg", "extraParams", params.nix_extra_params});
  argv.insert(argv.end(), {"--argstr", "paramsJSON", params.params.dump()});
  if (inputs.show_trace) argv.push_back("--show-trace");

  SpawnOptions options;
  options.environment = {"NIXPROC_STORE_DIR=" + inputs.store_dir,
                         "NIXPROC_LIBEXEC_DIR=" + inputs.libexec_dir};
  LoadedModel loaded;
  for (const auto& variable : inputs.environment) options.environment.push_back(variable);
  std::string out = run_nix(argv, options, path, inputs.eval_timeout, &loaded);
  loaded.evaluated = parse_json_text(out, "the evaluation of " + path);
  return loaded;
}

LoadedModel load_model(const std::string& path, const EvalInputs& inputs) {
  fs::check_input_file(path, "processes model");
  LoadedModel loaded;
  PhaseTimer timer("load and validate " + path);
  if (!inputs.ids_file.empty()) fs::check_input_file(inputs.ids_file, "--ids:");
  if (is_json_model(path)) {
    if (!inputs.ids_file.empty())
      throw Error("--ids applies to Nix models; " + path + " is already evaluated");
    loaded.evaluated = parse_json_text(fs::read_input_file(path, "processes model"), path);
  } else {
    loaded = evaluate_nix_model(path, inputs);
  }
  loaded.model = parse_model(loaded.evaluated, path, inputs.config_types);
  return loaded;
}

}  // namespace nixproc::model
