#pragma once
// A throwaway machine made of Linux namespaces: its own PID, mount,
// network (loopback only), UTS and IPC namespaces; a fresh /var, /tmp, /run
// and /home kept in the machine's directory; /etc, /root and /nix as
// overlays whose changes (accounts, builds) stay in that directory too.
// Everything else is the host's, read as it is. When the machine's PID 1
// ends, the kernel kills every process left in it, and its mounts go.
#include <sys/types.h>

#include <string>
#include <vector>

#include "testdriver/cgroups.h"

namespace nixproc::testdriver {

// The directories a machine gets fresh, kept in its directory (/tmp last:
// the machine's directory may be below the host's).
inline constexpr const char* kFreshDirs[] = {"/var", "/run", "/home", "/tmp"};

struct MachineSpec {
  std::string dir;  // the machine's own files (var/, run/, tmp/, home/, overlays)
  std::string hostname = "machine";
  std::string user;  // created in the machine when not empty (uid 1000 if free, group users)
  std::vector<std::string> path;         // directories put in front of PATH, for every shell
  std::vector<std::string> environment;  // NAME=value for every shell (root and the user's)
  // Host paths that stay visible (read-only) in the machine when they are
  // below a fresh directory: nixproc itself and the suite. The top directory
  // below the fresh one is kept (a checkout in /tmp/x: all of /tmp/x).
  std::vector<std::string> keep_host_paths;
  std::vector<std::string> argv;  // what PID 1 runs once the machine is up
  std::string log_file;           // its stdout and stderr
};

struct Machine {
  pid_t pid = -1;  // its PID 1, as seen here
  std::vector<CgroupMount> cgroups;
};

// Starts the machine. Its PID 1 exits with argv's exit status, or 125 when
// the machine cannot be made (the reason is in the log). Needs root.
Machine start_machine(const MachineSpec& spec);

// Once PID 1 has been reaped: removes what the machine left outside its
// directory (its cgroups).
void remove_machine(const Machine& machine);

// Whether this system can make such machines, and if not, why.
std::string machine_support_problem();

}  // namespace nixproc::testdriver
