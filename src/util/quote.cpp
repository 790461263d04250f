#include "util/quote.h"

namespace nixproc {

namespace {

// The length of the UTF-8 sequence starting at text[i], or 0 when the bytes
// there are no valid, printable sequence (C1 controls count as invalid).
size_t utf8_sequence_length(std::string_view text, size_t i) {
  auto byte = [&](size_t at) { return static_cast<unsigned char>(text[at]); };
  unsigned char lead = byte(i);
  size_t length = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
  if (length == 0 || lead >= 0xf5 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k)
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  if (length == 2 && lead == 0xc2 && byte(i + 1) < 0xa0) return 0;  // U+0080..U+009F
  return length;
}

void append_escaped_byte(std::string& out, unsigned char c) {
  static const char* hex = "0123456789abcdef";
  switch (c) {
    case '\n':
      out += "\\n";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\0':
      out += "\\0";
      return;
    default:
      out += "\\x";
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0xf]);
  }
}

std::string escape(std::string_view text, size_t limit, bool quotes) {
  std::string out;
  if (quotes) out.push_back('"');
  size_t i = 0;
  while (i < text.size() && i < limit) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      if (quotes && (c == '"' || c == '\\')) out.push_back('\\');
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (size_t length = c >= 0x80 ? utf8_sequence_length(text, i) : 0; length > 0) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      append_escaped_byte(out, c);
      ++i;
    }
  }
  if (i < text.size()) out += "...";
  if (quotes) out.push_back('"');
  if (i < text.size()) out += " (and " + std::to_string(text.size() - i) + " more bytes)";
  return out;
}

}  // namespace

std::string quote(std::string_view text, size_t limit) {
  return escape(text, limit, true);
}

std::string printable(std::string_view text, size_t limit) {
  return escape(text, limit, false);
}

}  // namespace nixproc
