#pragma once
// Writing values into systemd unit files. systemd expands %-specifiers in
// almost every setting, expands $VAR in Exec* command lines, and parses
// double-quoted words with C escapes in Exec* and Environment=; a value is
// one line and a trailing backslash would continue it.
#include <string>
#include <vector>

namespace nixproc::systemd {

// A literal setting value (Description=, WorkingDirectory=, ...): % doubled.
// Throws nixproc::Error naming `what` when systemd cannot hold it literally.
std::string literal_value(const std::string& value, const std::string& what);

// One command line for Exec*=: every word double-quoted with C escapes,
// % and $ doubled, so systemd passes exactly these words.
std::string exec_command(const std::vector<std::string>& words, const std::string& what);

// The value of one Environment= line: "NAME=value", quoted and escaped.
std::string environment_assignment(const std::string& name, const std::string& value);

}  // namespace nixproc::systemd
