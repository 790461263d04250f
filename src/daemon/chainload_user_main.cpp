// nixproc-chainload-user USER PROGRAM [ARGS...]: becomes USER, with its
// supplementary groups (the original tool kept the caller's), and executes
// PROGRAM (found on PATH, no shell). Exit 1 on any error.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "daemon/privileges.h"
#include "daemon/tool_exit_codes.h"

static const char usage[] = "Usage: nixproc-chainload-user username command [args]\n";

int main(int argc, char** argv) {
  using namespace nixproc::daemon::chainload_exit;
  if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::printf("%sBecomes USERNAME (with its groups; needs root) and executes COMMAND.\n\n%s",
                usage,
                nixproc::exit_status_section(
                    {{"N", "COMMAND's own: COMMAND ran as USERNAME"},
                     nixproc::exit_status(kFailure,
                                          "usage error, unknown user, cannot switch "
                                          "to it, or cannot execute COMMAND")})
                    .c_str());
    return 0;
  }
  if (argc < 3) {
    std::fprintf(stderr, "%s", usage);
    return kUsage;
  }
  std::string problem = nixproc::daemon::drop_privileges(argv[1]);
  if (!problem.empty()) {
    std::fprintf(stderr, "%s\n", problem.c_str());
    return kFailure;
  }
  ::execvp(argv[2], argv + 2);
  std::fprintf(stderr, "Cannot execute command: %s\n", argv[2]);
  return kFailure;
}
