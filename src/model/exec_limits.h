#pragma once
// What the kernel refuses to exec: a single argument or environment string
// longer than MAX_ARG_STRLEN, or arguments and environment together beyond
// ARG_MAX. Such a process can never start, so its model is refused at build
// time instead of failing in the middle of a switch.
#include <map>
#include <string>
#include <vector>

namespace nixproc::model {

// The longest string exec takes: MAX_ARG_STRLEN (32 pages) less the NUL.
inline constexpr size_t kMaxArgumentBytes = 131072 - 1;
// Room left in ARG_MAX for what the process manager and nixproc's wrappers
// add (PATH, HOME, the daemoniser's options, ...).
inline constexpr size_t kArgMaxMargin = 64 * 1024;

// Throws "<context>: field <field>[i]: ..." for a string longer than
// kMaxArgumentBytes.
void check_argument_lengths(const std::vector<std::string>& args, const std::string& field,
                            const std::string& context);
// The same for the "NAME=value" strings of `environment` (field environment.NAME).
void check_environment_lengths(const std::map<std::string, std::string>& environment,
                               const std::string& context);
// Throws when `args` (named `field`) and `environment` together exceed what
// this system passes to a new program (sysconf(_SC_ARG_MAX) less kArgMaxMargin).
void check_exec_size(const std::vector<std::string>& args, const std::string& field,
                     const std::map<std::string, std::string>& environment,
                     const std::string& context);

}  // namespace nixproc::model
