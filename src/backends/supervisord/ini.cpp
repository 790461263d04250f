#include "backends/supervisord/ini.h"

#include "util/error.h"

namespace nixproc::supervisord {

std::string ini_value(const std::string& value, const std::string& what) {
  if (value.find_first_of("\n\r") != std::string::npos)
    throw Error(what + ": a supervisord setting cannot hold a line break");
  for (const char* comment : {" ;", "\t;", " #", "\t#"})
    if (value.find(comment) != std::string::npos)
      throw Error(what + ": supervisord would read \"" + comment + "\" as the start of a comment");
  std::string escaped;
  for (char c : value) {
    if (c == '%') escaped += '%';
    escaped += c;
  }
  return escaped;
}

}  // namespace nixproc::supervisord
