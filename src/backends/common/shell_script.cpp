#include "backends/common/shell_script.h"

#include "util/shell.h"

namespace nixproc {

std::string shell_exports(const std::map<std::string, std::string>& environment) {
  std::string text;
  for (const auto& [name, value] : environment) {
    text += "export " + name + "=" + shell_quote(value);
    if (name == "PATH") text += ":\"$PATH\"";
    text += "\n";
  }
  return text;
}

std::string command_line(const std::vector<std::string>& words) {
  return shell_quote_args(words);
}

}  // namespace nixproc
