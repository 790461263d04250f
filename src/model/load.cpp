#include "model/load.h"

#include <cstdlib>

#include "util/error.h"
#include "util/fs.h"
#include "util/subprocess.h"
#include "util/timer.h"

namespace nixproc::model {

json parse_json_text(const std::string& text, const std::string& origin) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& error) {
    throw Error(origin + ": not valid JSON: " + error.what());
  }
}

static bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

static const std::string kTracePrefix = "trace: nixproc-file ";

// Splits nix-instantiate's stderr into generated files and everything else.
static std::string collect_files(const std::string& stderr_text,
                                 std::vector<GeneratedFile>& files) {
  std::string rest;
  size_t start = 0;
  while (start < stderr_text.size()) {
    size_t end = stderr_text.find('\n', start);
    if (end == std::string::npos) end = stderr_text.size();
    std::string line = stderr_text.substr(start, end - start);
    start = end + 1;
    if (line.rfind(kTracePrefix, 0) == 0) {
      json record =
          parse_json_text(line.substr(kTracePrefix.size()), "a file reported by the model");
      files.push_back({record.at("path"), record.at("name"), record.at("text"),
                       record.value("executable", false)});
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
  json as_json = json::parse(extra, nullptr, false);
  if (as_json.is_discarded()) {
    result.nix_extra_params = extra;
  } else {
    if (!as_json.is_object())
      throw Error("--extra-params: expected an attribute set or a JSON object");
    for (auto& [name, value] : as_json.items()) result.params[name] = value;
  }
  return result;
}

bool is_json_model(const std::string& path) {
  return ends_with(path, ".json");
}

// nix-instantiate's command line for a strict evaluation to JSON.
static std::vector<std::string> eval_command(const std::string& expr_file,
                                             const std::string& nix_dir) {
  std::vector<std::string> argv = {"nix-instantiate"};
  // An evaluation builds nothing, so it needs no store; a dummy store also
  // lets unprivileged users evaluate without a Nix daemon.
  if (!std::getenv("NIX_REMOTE")) argv.insert(argv.end(), {"--store", "dummy://"});
  argv.insert(argv.end(), {"--eval", "--strict", "--json", expr_file, "-I", "nixproc=" + nix_dir});
  return argv;
}

static RunResult run_nix(const std::vector<std::string>& argv, const SpawnOptions& options) {
  try {
    return run(argv, options);
  } catch (const Error& error) {
    throw Error(std::string(error.what()) +
                " (Nix models need nix-instantiate: apt-get install nix-bin; or use a .json file)");
  }
}

json evaluate_nix_file(const std::string& expr_file,
                       const std::vector<std::pair<std::string, std::string>>& string_args,
                       const std::string& nix_dir, const std::string& what) {
  std::vector<std::string> argv = eval_command(expr_file, nix_dir);
  for (const auto& [name, value] : string_args) argv.insert(argv.end(), {"--argstr", name, value});
  RunResult result = run_nix(argv, capturing());
  if (!result.ok()) {
    std::string messages = trim(result.err);
    throw Error("cannot evaluate " + what + ":\n" +
                (messages.empty() ? result.describe() : messages));
  }
  return parse_json_text(result.out, "the evaluation of " + what);
}

json load_data_file(const std::string& path, const std::string& nix_dir, const std::string& what) {
  if (!fs::exists(path)) throw Error(what + ": " + path + " does not exist");
  if (fs::is_directory(path)) throw Error(what + ": " + path + " is a directory");
  if (ends_with(path, ".json")) return parse_json_text(fs::read_file(path), path);
  return evaluate_nix_file(nix_dir + "/eval-data.nix", {{"file", fs::absolute_path(path)}}, nix_dir,
                           path);
}

LoadedModel evaluate_nix_model(const std::string& path, const EvalInputs& inputs) {
  ModelParams params = model_params(inputs);
  if (!inputs.ids_file.empty() && params.params.contains("ids"))
    throw Error("--extra-params sets ids and --ids gives them too: use one of them");
  std::vector<std::string> argv = eval_command(inputs.nix_dir + "/eval-model.nix", inputs.nix_dir);
  argv.insert(argv.end(), {"--arg", "exprFile", fs::absolute_path(path)});
  if (!inputs.ids_file.empty())
    argv.insert(argv.end(), {"--argstr", "idsFile", fs::absolute_path(inputs.ids_file)});
  if (!params.nix_extra_params.empty())
    argv.insert(argv.end(), {"--arg", "extraParams", params.nix_extra_params});
  argv.insert(argv.end(), {"--argstr", "paramsJSON", params.params.dump()});
  if (inputs.show_trace) argv.push_back("--show-trace");

  SpawnOptions options;
  options.capture_stdout = options.capture_stderr = true;
  options.environment = {"NIXPROC_STORE_DIR=" + inputs.store_dir,
                         "NIXPROC_LIBEXEC_DIR=" + inputs.libexec_dir};
  RunResult result = run_nix(argv, options);
  LoadedModel loaded;
  std::string messages = trim(collect_files(result.err, loaded.files));
  if (!result.ok())
    throw Error("cannot evaluate " + path + ":\n" +
                (messages.empty() ? result.describe() : messages));
  loaded.evaluated = parse_json_text(result.out, "the evaluation of " + path);
  return loaded;
}

LoadedModel load_model(const std::string& path, const EvalInputs& inputs) {
  if (!fs::exists(path)) throw Error("processes model " + path + " does not exist");
  if (fs::is_directory(path)) throw Error("processes model " + path + " is a directory");
  LoadedModel loaded;
  PhaseTimer timer("load and validate " + path);
  if (!inputs.ids_file.empty() && !fs::exists(inputs.ids_file))
    throw Error("--ids: " + inputs.ids_file + " does not exist");
  if (is_json_model(path)) {
    if (!inputs.ids_file.empty())
      throw Error("--ids applies to Nix models; " + path + " is already evaluated");
    loaded.evaluated = parse_json_text(fs::read_file(path), path);
  } else {
    loaded = evaluate_nix_model(path, inputs);
  }
  loaded.model = parse_model(loaded.evaluated, path);
  return loaded;
}

}  // namespace nixproc::model
