#include "backends/systemd/unit_file.h"

#include <cstdio>

#include "util/error.h"

namespace nixproc::systemd {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

// A double-quoted word: C escapes for what the parser would otherwise take
// as syntax, %% for specifiers and, in command lines, $$ for variables.
std::string quoted_word(const std::string& word, bool in_command) {
  std::string quoted = "\"";
  for (char c : word) {
    unsigned char byte = static_cast<unsigned char>(c);
    switch (c) {
      case '\\':
        quoted += "\\\\";
        break;
      case '"':
        quoted += "\\\"";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\t':
        quoted += "\\t";
        break;
      case '\r':
        quoted += "\\r";
        break;
      case '%':
        quoted += "%%";
        break;
      case '$':
        quoted += in_command ? "$$" : "$";
        break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\x%02x", byte);
          quoted += hex;
        } else {
          quoted += c;
        }
    }
  }
  return quoted + "\"";
}

}  // namespace

std::string literal_value(const std::string& value, const std::string& what) {
  if (value.find_first_of("\n\r") != std::string::npos)
    throw Error(what + ": a systemd setting cannot hold a line break");
  if (!value.empty() && value.back() == '\\')
    throw Error(what + ": systemd would read a trailing backslash as a line continuation");
  if (!value.empty() && (is_space(value.front()) || is_space(value.back())))
    throw Error(what + ": systemd strips spaces around a setting's value");
  std::string escaped;
  for (char c : value) {
    if (c == '%') escaped += '%';
    escaped += c;
  }
  return escaped;
}

std::string exec_command(const std::vector<std::string>& words, const std::string& what) {
  if (words.empty() || words.front().empty())
    throw Error(what + ": the command line needs an executable");
  // systemd reads these as prefixes of the executable (- @ : + !).
  if (std::string("-@:+!").find(words.front().front()) != std::string::npos)
    throw Error(what + ": the executable \"" + words.front() +
                "\" starts with a character systemd reads as a command prefix");
  std::string line;
  for (const auto& word : words) {
    if (!line.empty()) line += ' ';
    line += quoted_word(word, true);
  }
  return line;
}

std::string environment_assignment(const std::string& name, const std::string& value) {
  return quoted_word(name + "=" + value, false);
}

}  // namespace nixproc::systemd
