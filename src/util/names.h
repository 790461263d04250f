#pragma once
#include <string>
#include <string_view>

namespace nixproc {

// Instance keys and process names become file names and shell words:
// [A-Za-z0-9_][A-Za-z0-9_.@+-]*, at most 200 characters.
bool is_valid_name(std::string_view name);
// Why `name` is not valid, for error messages.
std::string invalid_name_reason(std::string_view name);

}  // namespace nixproc
