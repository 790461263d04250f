#include "util/nix_syntax.h"

#include <cstdio>

#include "util/names.h"

namespace nixproc {

std::string nix_string(std::string_view value) {
  std::string out = "\"";
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '$':
        // Only "${" starts an interpolation; escaping every $ is also valid.
        out += (i + 1 < value.size() && value[i + 1] == '{') ? "\\$" : "$";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

static bool is_keyword(std::string_view word) {
  for (const char* keyword :
       {"if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"})
    if (word == keyword) return true;
  return false;
}

std::string nix_attr_name(std::string_view name) {
  bool plain =
      !name.empty() && (is_ascii_letter(name[0]) || name[0] == '_') &&
      is_nonempty_run_of(name, [](char c) {
        return is_ascii_letter(c) || is_ascii_digit(c) || c == '_' || c == '\'' || c == '-';
      });
  return plain && !is_keyword(name) ? std::string(name) : nix_string(name);
}

static std::string nix_number(const nlohmann::json& value) {
  if (!value.is_number_float()) return value.dump();
  // Nix has no exponent-only or leading-dot floats; %.17g can print "1e+20".
  std::string text = value.dump();
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  if (text.find_first_of("eE") != std::string::npos) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.6f", value.get<double>());
    text = buffer;
  }
  return text;
}

std::string nix_value(const nlohmann::json& value, int indent) {
  std::string pad(indent + 2, ' '), close(indent, ' ');
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::string:
      return nix_string(value.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      if (value.empty()) return "[ ]";
      std::string out = "[\n";
      for (const auto& item : value) {
        std::string text = nix_value(item, indent + 2);
        // A negative number or function-looking item needs parentheses in a list.
        bool wrap = item.is_number() && !text.empty() && text[0] == '-';
        out += pad + (wrap ? "(" + text + ")" : text) + "\n";
      }
      return out + close + "]";
    }
    case nlohmann::json::value_t::object: {
      if (value.empty()) return "{ }";
      std::string out = "{\n";
      for (const auto& [name, item] : value.items())
        out += pad + nix_attr_name(name) + " = " + nix_value(item, indent + 2) + ";\n";
      return out + close + "}";
    }
    default:
      return nix_number(value);
  }
}

}  // namespace nixproc
