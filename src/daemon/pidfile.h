#pragma once
// PID files that cannot lie: a PID counts only if its process is alive, is
// not a zombie, started no later than the PID file was written (so a PID the
// kernel reused for another process is stale), and runs the expected program.
#include <sys/types.h>

#include <string>
#include <vector>

namespace nixproc::daemon {

struct PidFileCheck {
  enum State { Running, Stale, Absent } state = Absent;
  pid_t pid = 0;  // set when Running
};

// `expected_program` may be empty: any live process that started in time counts.
PidFileCheck check_pid_file(const std::string& path, const std::string& expected_program);

// Whether process `pid` runs `program` (same executable, same basename, or
// argv[0]/argv[1] with that basename, which covers interpreted scripts).
bool runs_program(pid_t pid, const std::string& program);

// Live, non-zombie processes running `program`, like pidof.
std::vector<pid_t> find_processes_by_program(const std::string& program);

// Creates `path` with O_EXCL holding this process's PID. An existing file of a
// live matching process is an error (returns false, errno EEXIST); a stale
// one is removed first. On other failures returns false with errno set.
bool create_pid_file(const std::string& path, const std::string& expected_program);

}  // namespace nixproc::daemon
