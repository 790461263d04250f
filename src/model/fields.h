#pragma once
// Typed reading of one JSON object (a process config, a pm-specific config),
// with errors that name the instance and the field, and a check that every
// field was known. Used wherever model data is turned into typed values.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nixproc::model {

using json = nlohmann::json;

class FieldReader {
 public:
  // `context` starts every error, e.g. "instance webapp".
  FieldReader(const json& object, std::string context);

  std::optional<std::string> optional_string(const std::string& field);
  std::string string_or(const std::string& field, const std::string& fallback);
  // A string or an integer (nice levels, umasks), returned as text.
  std::optional<std::string> optional_scalar_text(const std::string& field);
  bool boolean_or(const std::string& field, bool fallback);
  // A list of strings; integers and booleans become text as Nix's toString does.
  std::optional<std::vector<std::string>> optional_string_list(const std::string& field);
  std::vector<std::string> string_list(const std::string& field);
  std::vector<int> int_list(const std::string& field, int min, int max);
  // name -> value where values are strings, integers or booleans.
  std::map<std::string, std::string> string_map(const std::string& field);
  // Any object (or absent: empty object). Contents are checked by the caller.
  json object(const std::string& field);

  // Marks fields as known without reading them.
  void ignore(std::initializer_list<const char*> fields);
  // Throws for the first field nobody read or ignored.
  void reject_unknown_fields();

  [[noreturn]] void fail(const std::string& field, const std::string& problem) const;
  const std::string& context() const { return context_; }

 private:
  const json* find(const std::string& field);
  // `value` (a scalar) as text; fails for a NUL byte in it.
  std::string text(const std::string& field, const json& value) const;
  const json& object_;
  std::string context_;
  std::set<std::string> seen_;
};

// "string", "integer", "list", "attribute set", ... for messages.
std::string json_type_name(const json& value);
// `value` as JSON text for a message: shortened like quote() (util/quote.h).
std::string json_for_message(const json& value);
// Nix's toString for the scalars a model may use where text is expected.
std::optional<std::string> scalar_to_text(const json& value);

}  // namespace nixproc::model
