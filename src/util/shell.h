#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace nixproc {

// POSIX single-quote escaping; always quotes, so every byte survives a shell
// (newlines, `$`, backslashes, `%`, double quotes...).
std::string shell_quote(std::string_view value);

// The quoted arguments joined by single spaces (empty list: empty string).
std::string shell_quote_args(const std::vector<std::string>& args);

// A valid shell (and environment) variable name: [A-Za-z_][A-Za-z0-9_]*.
bool is_shell_variable_name(std::string_view name);

}  // namespace nixproc
