#pragma once
// An instance's record: what proves which processes are the instance's.
// nixproc-foreground-proxy (the keeper of one instance) keeps it in the
// instance's own directory, below a directory only its user can write:
//
//   <dir>/lock     held (flock) by the running keeper: one keeper at a time
//   <dir>/record   the identities (PID, start ticks, boot) of the keeper and
//                  of the instance's main process, and whether the start
//                  succeeded, replaced atomically
//
// A PID file can name any process; a record names processes by identity,
// and only nixproc's own tools can write it.
#include <optional>
#include <string>

#include "daemon/process_info.h"

namespace nixproc::daemon {

struct InstanceRecord {
  ProcessIdentity keeper;
  ProcessIdentity main;  // not known() until the main process runs
  bool ready = false;    // the main process stayed up for the settle time
};

// The record's text and back; nullopt for anything that is not one.
std::string format_record(const InstanceRecord& record);
std::optional<InstanceRecord> parse_record(const std::string& text);

struct RecordRead {
  std::optional<InstanceRecord> record;  // nullopt: none there
  std::string problem;                   // the directory cannot be trusted or read
};

// Reads <dir>/record, checking that `dir` and its parent are private to this
// process's user (see open_private_directory). A missing directory or
// record is no problem: there is no record.
RecordRead read_record(const std::string& dir);

// The directory of a keeper, created (with its parent) when missing and
// checked to be private. Holds the directory fd and the lock.
class RecordDirectory {
 public:
  RecordDirectory() = default;
  ~RecordDirectory();
  RecordDirectory(const RecordDirectory&) = delete;
  RecordDirectory& operator=(const RecordDirectory&) = delete;

  // Opens `dir`; false with `problem` set when it is not private.
  bool open(const std::string& dir, std::string* problem);
  // Takes the lock without waiting; false when another keeper holds it.
  bool lock();
  // The record left by an earlier keeper, if any.
  std::optional<InstanceRecord> previous() const;
  // Replaces the record atomically (write, fsync-free rename).
  bool write(const InstanceRecord& record, std::string* problem) const;
  void remove() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int dir_fd_ = -1;
  int lock_fd_ = -1;
};

}  // namespace nixproc::daemon
