#include "backends/bsdrc/rc_quoting.h"

#include "util/shell.h"

namespace nixproc::bsdrc {

namespace {

// What a double-quoted string needs so that it yields `text` unchanged.
std::string double_quote_escape(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '$' || c == '`' || c == '"' || c == '\\') escaped.push_back('\\');
    escaped.push_back(c);
  }
  return escaped;
}

// What a single-quoted string needs: close, an escaped quote, reopen.
std::string single_quote_escape(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '\'')
      escaped += "'\\''";
    else
      escaped.push_back(c);
  }
  return escaped;
}

}  // namespace

std::string command_args(const std::vector<std::string>& words, Evaluation evaluation) {
  std::string text;
  for (const auto& word : words) {
    std::string quoted = shell_quote(word);  // for the shell that finally runs the command
    if (evaluation.user)
      quoted = single_quote_escape(double_quote_escape(quoted));
    else if (evaluation.nice)
      quoted = double_quote_escape(quoted);
    text += (text.empty() ? "" : " ") + quoted;
  }
  return text;
}

bool is_plain_word(const std::string& value) {
  if (value.empty()) return false;
  for (char c : value) {
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!letter && std::string_view("_./+,:@%=-").find(c) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace nixproc::bsdrc
