#include "model/fields.h"

#include "util/error.h"
#include "util/quote.h"

namespace nixproc::model {

std::string json_type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::string:
      return "string";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer";
    case json::value_t::number_float:
      return "float";
    case json::value_t::array:
      return "list";
    case json::value_t::object:
      return value.contains("__nixprocFunction") ? "function" : "attribute set";
    default:
      return "value";
  }
}

std::string json_for_message(const json& value) {
  return printable(value.dump());
}

std::optional<std::string> scalar_to_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number_unsigned()) return std::to_string(value.get<unsigned long long>());
  if (value.is_boolean()) return value.get<bool>() ? "1" : "";
  return std::nullopt;
}

FieldReader::FieldReader(const json& object, std::string context)
    : object_(object), context_(std::move(context)) {
  if (!object_.is_object() || object_.contains("__nixprocFunction"))
    throw Error(context_ + ": expected an attribute set, got " + json_type_name(object_));
}

void FieldReader::fail(const std::string& field, const std::string& problem) const {
  throw Error(context_ + ": field " + printable(field) + ": " + problem);
}

const json* FieldReader::find(const std::string& field) {
  seen_.insert(field);
  auto it = object_.find(field);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string FieldReader::text(const std::string& field, const json& value) const {
  auto text = scalar_to_text(value);
  // Strings are cut at a NUL byte on their way to argv, environments and files.
  if (text && text->find('\0') != std::string::npos)
    fail(field, "holds a NUL byte, which no argument, environment variable or file can carry");
  return text.value_or("");
}

std::optional<std::string> FieldReader::optional_string(const std::string& field) {
  const json* value = find(field);
  if (!value) return std::nullopt;
  if (!value->is_string()) fail(field, "expected a string, got " + json_type_name(*value));
  return text(field, *value);
}

std::string FieldReader::string_or(const std::string& field, const std::string& fallback) {
  auto value = optional_string(field);
  return value ? *value : fallback;
}

std::optional<std::string> FieldReader::optional_scalar_text(const std::string& field) {
  const json* value = find(field);
  if (!value) return std::nullopt;
  if (!value->is_string() && !value->is_number_integer() && !value->is_number_unsigned())
    fail(field, "expected a string or an integer, got " + json_type_name(*value));
  return text(field, *value);
}

bool FieldReader::boolean_or(const std::string& field, bool fallback) {
  const json* value = find(field);
  if (!value) return fallback;
  if (!value->is_boolean()) fail(field, "expected a boolean, got " + json_type_name(*value));
  return value->get<bool>();
}

std::optional<std::vector<std::string>> FieldReader::optional_string_list(
    const std::string& field) {
  const json* value = find(field);
  if (!value) return std::nullopt;
  if (!value->is_array()) fail(field, "expected a list, got " + json_type_name(*value));
  std::vector<std::string> items;
  items.reserve(value->size());
  for (size_t i = 0; i < value->size(); ++i) {
    const json& item = (*value)[i];
    if (!item.is_string() && !item.is_number_integer() && !item.is_number_unsigned())
      fail(field + "[" + std::to_string(i) + "]",
           "expected a string or an integer, got " + json_type_name(item));
    items.push_back(text(field + "[" + std::to_string(i) + "]", item));
  }
  return items;
}

std::vector<std::string> FieldReader::string_list(const std::string& field) {
  auto items = optional_string_list(field);
  return items ? *items : std::vector<std::string>{};
}

std::vector<int> FieldReader::int_list(const std::string& field, int min, int max) {
  const json* value = find(field);
  std::vector<int> items;
  if (!value) return items;
  if (!value->is_array()) fail(field, "expected a list, got " + json_type_name(*value));
  for (size_t i = 0; i < value->size(); ++i) {
    const json& item = (*value)[i];
    if (!item.is_number_integer() && !item.is_number_unsigned())
      fail(field + "[" + std::to_string(i) + "]",
           "expected an integer, got " + json_type_name(item));
    long long number = item.get<long long>();
    if (number < min || number > max)
      fail(field + "[" + std::to_string(i) + "]", "expected a value from " + std::to_string(min) +
                                                      " to " + std::to_string(max) + ", got " +
                                                      std::to_string(number));
    items.push_back(static_cast<int>(number));
  }
  return items;
}

std::map<std::string, std::string> FieldReader::string_map(const std::string& field) {
  const json* value = find(field);
  std::map<std::string, std::string> items;
  if (!value) return items;
  if (!value->is_object() || value->contains("__nixprocFunction"))
    fail(field, "expected an attribute set, got " + json_type_name(*value));
  for (const auto& [name, item] : value->items()) {
    if (item.is_null()) continue;
    if (!scalar_to_text(item))
      fail(field + "." + name,
           "expected a string, integer or boolean, got " + json_type_name(item));
    items[name] = text(field + "." + name, item);
  }
  return items;
}

json FieldReader::object(const std::string& field) {
  const json* value = find(field);
  if (!value) return json::object();
  if (!value->is_object() || value->contains("__nixprocFunction"))
    fail(field, "expected an attribute set, got " + json_type_name(*value));
  return *value;
}

void FieldReader::ignore(std::initializer_list<const char*> fields) {
  for (const char* field : fields) seen_.insert(field);
}

void FieldReader::reject_unknown_fields() {
  for (const auto& [name, value] : object_.items())
    if (!seen_.count(name)) fail(name, "unknown field");
}

}  // namespace nixproc::model
