#include "backends/cygrunsrv/params.h"

#include "util/error.h"
#include "util/shell.h"

namespace nixproc::cygrunsrv {

std::string params_text(const std::vector<Token>& tokens) {
  std::string text;
  for (const auto& token : tokens)
    text += (token.is_value ? shell_quote(token.text) : token.text) + "\n";
  return text;
}

std::vector<std::string> parse_params(const std::string& text, const std::string& file) {
  std::vector<std::string> tokens;
  std::string token;
  bool in_token = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_token) tokens.push_back(token);
      token.clear();
      in_token = false;
    } else if (c == '\'') {
      size_t end = text.find('\'', i + 1);
      if (end == std::string::npos) throw Error(file + ": a quoted value is not closed");
      token += text.substr(i + 1, end - i - 1);
      i = end;
      in_token = true;
    } else if (c == '\\' && i + 1 < text.size()) {
      token.push_back(text[++i]);
      in_token = true;
    } else {
      token.push_back(c);
      in_token = true;
    }
  }
  if (in_token) tokens.push_back(token);
  return tokens;
}

std::string service_name(const std::string& name) {
  return "nix-process-" + name;
}

}  // namespace nixproc::cygrunsrv
