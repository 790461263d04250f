#pragma once
// Quoting for the values rc.subr evaluates. rc.subr builds the start command
// as a string and evaluates it with `eval`: once without a user, twice more
// when <name>_user wraps it in su -m USER -c 'sh -c "..."', and once more
// when <name>_nice wraps it in sh -c "..." (FreeBSD's run_rc_command). A
// value must therefore be quoted once per evaluation, innermost first.
#include <string>
#include <vector>

namespace nixproc::bsdrc {

struct Evaluation {
  bool user = false;  // <name>_user is set: su -m USER -c 'sh -c "..."'
  bool nice = false;  // <name>_nice is set: nice -n N sh -c "..." (without a user)
};

// command_args text that evaluates to exactly `words`.
std::string command_args(const std::vector<std::string>& words, Evaluation evaluation);

// Whether rc.subr can use a value unquoted (it splits pidfile, procname,
// command, the env file and the user on whitespace and expands globs).
bool is_plain_word(const std::string& value);

}  // namespace nixproc::bsdrc
