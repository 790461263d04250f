#pragma once
// The state directories every process instance shares (stateDir, runtimeDir,
// ...), resolved from options, NIXPROC_* environment variables and defaults.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace nixproc {

struct StateDirs {
  std::string state_dir, runtime_dir, log_dir, cache_dir, spool_dir, lock_dir, lib_dir, tmp_dir;
  bool force_disable_user_change = false;

  // The model parameters: stateDir, runtimeDir, ..., forceDisableUserChange.
  nlohmann::json to_params() const;
  static StateDirs from_params(const nlohmann::json& params);
};

// What the user gave on the command line; unset options fall back to the
// NIXPROC_* environment variables, then to the defaults (stateDir /var,
// runtimeDir <stateDir>/run, tmpDir /tmp for /var else <stateDir>/tmp, ...).
struct StateDirOptions {
  std::optional<std::string> state_dir, runtime_dir, log_dir, cache_dir, spool_dir, lock_dir,
      lib_dir, tmp_dir;
  bool force_disable_user_change = false;
};

StateDirs resolve_state_dirs(const StateDirOptions& options);

// Creates the state directories (nixproc init-state); idempotent. A created
// tmpDir gets mode 1777 when privileged and user changes are allowed.
void init_state(const StateDirs& dirs, bool privileged);

}  // namespace nixproc
