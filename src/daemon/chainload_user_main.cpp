// nixproc-chainload-user USER PROGRAM [ARGS...]: become USER (with all its
// groups, unlike the original tool) and execute PROGRAM. Exit 1 on any error.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "daemon/privileges.h"

int main(int argc, char** argv) {
  if (argc < 3 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::fprintf(argc < 3 ? stderr : stdout,
                 "Usage: nixproc-chainload-user username command [args]\n");
    return argc < 3 ? 1 : 0;
  }
  std::string problem = nixproc::daemon::drop_privileges(argv[1]);
  if (!problem.empty()) {
    std::fprintf(stderr, "%s\n", problem.c_str());
    return 1;
  }
  ::execvp(argv[2], argv + 2);
  std::fprintf(stderr, "Cannot execute command: %s\n", argv[2]);
  return 1;
}
