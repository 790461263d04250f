#pragma once
#include <string>
#include <string_view>

namespace nixproc {

// Instance keys and process names become file names and shell words:
// [A-Za-z0-9_][A-Za-z0-9_.@+-]*, at most 200 characters.
bool is_valid_name(std::string_view name);
// Why `name` is not valid, for error messages.
std::string invalid_name_reason(std::string_view name);

// Whether `text` is non-empty and every character satisfies `allowed`
// (plain checks instead of std::regex: faster, and no GCC false positives).
template <typename Predicate>
bool is_nonempty_run_of(std::string_view text, Predicate allowed) {
  if (text.empty()) return false;
  for (char c : text)
    if (!allowed(c)) return false;
  return true;
}

inline bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace nixproc
