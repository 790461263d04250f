#pragma once
// Messages for the user on stderr. Errors go through nixproc::Error instead.
#include <string>

namespace nixproc::log {

void set_verbose(bool verbose);
bool verbose();
void info(const std::string& message);     // always shown
void detail(const std::string& message);   // only with --verbose
void warning(const std::string& message);  // "warning: ..."

}  // namespace nixproc::log
