#pragma once
// Writing JSON text directly, for documents too large to build as a tree first.
#include <string>
#include <string_view>

namespace nixproc {

// Appends `value` as a JSON string literal (quotes, backslashes and control
// characters escaped; other bytes, UTF-8 included, as they are).
void append_json_string(std::string& out, std::string_view value);

}  // namespace nixproc
