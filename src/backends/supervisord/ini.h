#pragma once
// Writing values into supervisord's ini files: supervisord expands %(name)s
// in every value, so a literal % is %%; a value must stay on one line and
// must not look like an inline comment (" ;" or " #").
#include <string>

namespace nixproc::supervisord {

// Throws nixproc::Error naming `what` when the value cannot be written.
std::string ini_value(const std::string& value, const std::string& what);

}  // namespace nixproc::supervisord
