#pragma once
// Everything translation and rendering need to know about the deployment.
#include <string>

#include "core/installation.h"
#include "core/state_dirs.h"

namespace nixproc {

struct Context {
  StateDirs dirs;
  std::string process_manager;  // the backend's name
  bool privileged = false;      // running as root
  std::string calling_user, calling_group;
  Installation installation;
  std::string runtime;  // store path of the nixproc runtime: bin/ helpers, share/init-functions
};

// The user and primary group running nixproc.
std::string current_user_name();
std::string current_group_name();

}  // namespace nixproc
