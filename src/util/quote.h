#pragma once
// User input echoed in messages: one line, readable, bounded. A name with a
// newline, a 1 MB argument or a 45 KB cycle must not turn an error message
// into a wall of text or a second, forged line.
#include <string>
#include <string_view>

namespace nixproc {

inline constexpr size_t kQuoteLimit = 80;  // bytes of text shown before it is cut

// `text` between double quotes, with quotes and backslashes escaped, control
// characters and bytes that are not UTF-8 as \n, \t, \r, \0 or \xNN, and text
// longer than `limit` bytes cut: "abc..." (and 12345 more bytes).
std::string quote(std::string_view text, size_t limit = kQuoteLimit);

// The same escapes and cut without the quotes, for input that is part of a
// phrase such as a field path (environment.FOO).
std::string printable(std::string_view text, size_t limit = kQuoteLimit);

}  // namespace nixproc
