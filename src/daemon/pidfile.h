#pragma once
// PID files that cannot lie. A PID counts as running only if the file is a
// regular file (never followed through a symlink, never a FIFO that would
// block), its owner may speak for the process (root, this process's user,
// or the process's own user), the process is alive and not a zombie, it
// started no later than one second after the PID file was written (so a
// PID the kernel handed to a newer process is stale), and, when a program is
// given, it runs that program. That is still only as good as a PID file:
// nixproc recognises its instances' processes by their records
// (instance_record.h); PID files serve the LSB tools and daemons' own use.
#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace nixproc::daemon {

struct PidFileCheck {
  enum State { Running, Stale, Absent } state = Absent;
  pid_t pid = 0;  // the running process; 0 unless Running
};

// `expected_program` may be empty: then any process that passes the other
// rules counts. Absent: no file; Stale: a file that names no running process.
PidFileCheck check_pid_file(const std::string& path, const std::string& expected_program);

// The PID `path` holds (blanks around a positive decimal number), 0 when
// the file is missing, empty, no regular file or holds anything else.
pid_t read_pid_file(const std::string& path);

// Whether a PID file with these attributes may name process `pid`: its
// owner is root, this process's user, or the user `pid` runs as.
bool may_name(const struct stat& pid_file, pid_t pid);

// A PID as a PID file holds it: optional blanks around a positive decimal
// number that fits a pid_t.
std::optional<pid_t> parse_pid(const std::string& text);

// Live, non-zombie processes other than this one that run `program` (the
// matching rule of runs_program), in /proc order, like pidof.
std::vector<pid_t> find_processes_by_program(const std::string& program);

struct PidFileCreation {
  enum Outcome { Created, AlreadyRunning, Failed } outcome = Failed;
  pid_t running_pid = 0;  // AlreadyRunning: the live process the file names
  int error = 0;          // Failed: errno
};

// Creates `path` race-free (O_CREAT|O_EXCL, mode 0644) holding this process's
// PID and a newline. An existing file of a running process (check_pid_file
// with `expected_program`, or a process running this very executable, which
// is a daemoniser about to exec) means AlreadyRunning; a stale one is removed
// and creation retried once.
PidFileCreation create_pid_file(const std::string& path, const std::string& expected_program);

// Removes `path` if it still names this process. False (errno set) only when
// that removal failed; a missing or foreign file is left alone and is fine.
bool remove_own_pid_file(const std::string& path);

}  // namespace nixproc::daemon
