#include "testdriver/suite.h"

#include "model/load.h"
#include "util/error.h"
#include "util/fs.h"

namespace nixproc::testdriver {

static std::string text_field(const nlohmann::json& object, const char* key,
                              const std::string& where) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return "";
  if (!found->is_string()) throw Error(where + ": `" + key + "' must be a string");
  return found->get<std::string>();
}

static std::vector<std::string> string_list(const nlohmann::json& object, const char* key,
                                            const std::string& where) {
  std::vector<std::string> list;
  auto found = object.find(key);
  if (found == object.end()) return list;
  if (!found->is_array()) throw Error(where + ": `" + key + "' must be a list");
  for (const auto& item : *found) {
    if (!item.is_string()) throw Error(where + ": `" + key + "' must be a list of strings");
    list.push_back(item.get<std::string>());
  }
  return list;
}

std::vector<Variant> variants_from_json(const nlohmann::json& evaluated) {
  if (!evaluated.is_array()) throw Error("the suite's variants are not a list");
  std::vector<Variant> variants;
  for (const auto& item : evaluated) {
    if (!item.is_object()) throw Error("a variant of the suite is not an attribute set");
    Variant variant;
    variant.attr_path = text_field(item, "attrPath", "a variant");
    std::string where = "variant " + variant.attr_path;
    variant.name = text_field(item, "name", where);
    variant.profile = text_field(item, "profile", where);
    variant.process_manager = text_field(item, "processManager", where);
    variant.user = text_field(item, "user", where);
    variant.system_packages = string_list(item, "systemPackages", where);
    variant.context = string_list(item, "context", where);
    variant.steps = item.value("steps", nlohmann::json::array());
    if (!variant.steps.is_array()) throw Error(where + ": `steps' must be a list");
    for (const auto& step : variant.steps)
      if (!step.is_object() || !step.value("text", nlohmann::json()).is_string() ||
          !step.value("kind", nlohmann::json()).is_string() ||
          !step.value("phase", nlohmann::json()).is_string())
        throw Error(where + ": a step is not {kind, phase, text} strings");
    variants.push_back(std::move(variant));
  }
  return variants;
}

std::vector<Variant> evaluate_suite(const SuiteQuery& query, const Installation& installation,
                                    const std::vector<std::string>& search_path,
                                    const std::vector<std::string>& store_options) {
  fs::check_input_file(query.file, "the test suite");
  auto list = [](const std::vector<std::string>& names) {
    return names.empty() ? std::string("null") : nlohmann::json(names).dump();
  };
  nlohmann::json evaluated =
      model::evaluate_nix_file(installation.nix_dir + "/eval-tests.nix",
                               {{"suiteFile", fs::absolute_path(query.file)},
                                {"attrPath", query.attr_path},
                                {"processManagersJSON", list(query.process_managers)},
                                {"profilesJSON", list(query.profiles)}},
                               installation.nix_dir, "the test suite " + query.file,
                               query.eval_timeout, search_path, &store_options, query.show_trace);
  return variants_from_json(evaluated);
}

}  // namespace nixproc::testdriver
