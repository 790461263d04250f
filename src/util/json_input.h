#pragma once
// Reading JSON that nixproc did not write itself (models, nix-instantiate's
// output, --extra-params, ids files, journals and accounts files that may
// have been edited): one clear error for what nlohmann would crash on, cut or
// accept silently.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace nixproc {

using json = nlohmann::json;

// Objects and arrays may nest this deep; a deeper document is refused (a
// million levels crashed the recursive copies and dumps that follow).
inline constexpr size_t kMaxJsonDepth = 512;

// Parses a JSON document. Errors name `origin` and, where it helps, the place
// in the document: syntax errors, nesting beyond kMaxJsonDepth, a number too
// large for a double, and a key given twice in one object (nlohmann would
// keep only the last).
json parse_json_text(const std::string& text, const std::string& origin);

// The first string (or object key) in `value` that holds a NUL byte, as a
// path such as `args[1]` or `environment.FOO` (empty: `value` itself);
// nullopt when there is none. Strings are cut at NUL bytes on their way to argv,
// environments and files, so nixproc refuses them.
std::optional<std::string> find_nul_byte(const json& value);

}  // namespace nixproc
