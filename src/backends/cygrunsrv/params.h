#pragma once
// The parameter file format: one token per line, as the original writes it.
// Option names (--path, --env, ...) stand bare; every value is single-quoted
// for the shell ('\'' for a quote), so a value with a newline stays one token.
// The switch reads the tokens back and passes each as one argument to
// cygrunsrv --install: cygrunsrv gets the values without the quotes.
#include <string>
#include <vector>

namespace nixproc::cygrunsrv {

// Option/value pairs (a value-less option such as --shutdown has no value)
// as the file text.
struct Token {
  std::string text;
  bool is_value;
};
std::string params_text(const std::vector<Token>& tokens);

// The tokens of a parameter file; throws nixproc::Error naming `file` for an
// unterminated quote.
std::vector<std::string> parse_params(const std::string& text, const std::string& file);

// The service name of an instance: nix-process-<name>.
std::string service_name(const std::string& name);

}  // namespace nixproc::cygrunsrv
