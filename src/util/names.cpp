#include "util/names.h"

#include "util/quote.h"

namespace nixproc {

static bool allowed(char c, bool first) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
    return true;
  return !first && (c == '.' || c == '@' || c == '+' || c == '-');
}

bool is_valid_name(std::string_view name) {
  return invalid_name_reason(name).empty();
}

std::string invalid_name_reason(std::string_view name) {
  if (name.empty()) return "the name is empty";
  if (name.size() > 200) return "the name is longer than 200 characters";
  for (size_t i = 0; i < name.size(); ++i) {
    if (!allowed(name[i], i == 0)) {
      return "character " + quote(name.substr(i, 1)) + " at position " + std::to_string(i + 1) +
             " is not allowed (use letters, digits, '_' and, after the first, '.@+-')";
    }
  }
  return "";
}

}  // namespace nixproc
