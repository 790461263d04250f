#pragma once
// Finding a program the way execvp does, but computed before forking and
// against the daemon's own PATH, and never falling back to a shell.
#include <string>
#include <vector>

namespace nixproc::daemon {

// The paths to try, in order: `program` itself when it contains a slash,
// otherwise <dir>/<program> for each non-empty directory of `search_path`.
std::vector<std::string> program_candidates(const std::string& program,
                                            const std::string& search_path);

// The first candidate that is an executable regular file, or "".
std::string first_executable(const std::vector<std::string>& candidates);

}  // namespace nixproc::daemon
