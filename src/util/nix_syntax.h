#pragma once
// Writing Nix expressions: string literals, attribute names and plain data, so
// generated .nix files (ids.nix, exported Disnix models) read back as written.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace nixproc {

// A double-quoted Nix string whose value is exactly `value` (", \, ${ and
// control characters escaped).
std::string nix_string(std::string_view value);

// `name` as an attribute name: bare when it is a plain identifier, else quoted.
std::string nix_attr_name(std::string_view name);

// Plain data as a Nix expression: null, booleans, numbers, strings, lists and
// attribute sets (keys in the JSON object's order). Nested values are indented
// by two spaces per level, starting at `indent`.
std::string nix_value(const nlohmann::json& value, int indent = 0);

}  // namespace nixproc
