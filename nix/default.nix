# The nixproc Nix library. Models reach it as <nixproc> (nixproc puts it on
# the Nix search path when it evaluates) and apply it to the common
# parameters they were given:
#
#   let nixproc = import <nixproc> { inherit stateDir forceDisableUserChange processManager; };
#   in nixproc.createManagedProcess { ... }
#
# Everything returns data; see docs/nix-library.md.
{ stateDir ? "/var"
, runtimeDir ? "${stateDir}/run"
, logDir ? "${stateDir}/log"
, cacheDir ? "${stateDir}/cache"
, spoolDir ? "${stateDir}/spool"
, lockDir ? "${stateDir}/lock"
, libDir ? "${stateDir}/lib"
, tmpDir ? (if stateDir == "/var" then "/tmp" else "${stateDir}/tmp")
, forceDisableUserChange ? false
, processManager ? null
, ids ? { }
, ...
}:

let
  storeDirFromEnv = builtins.getEnv "NIXPROC_STORE_DIR";
  files = import ./write-text-file.nix {
    storeDir = if storeDirFromEnv != "" then storeDirFromEnv else "/var/lib/nixproc/store";
  };
in
{
  inherit stateDir runtimeDir logDir cacheDir spoolDir lockDir libDir tmpDir;
  inherit forceDisableUserChange processManager ids;

  lib = import ./lib.nix;
  inherit (files) writeTextFile writeText writeScript;

  createManagedProcess = import ./create-managed-process.nix { };
  createSystemVInitScript = import ./create-system-v-init-script.nix { };
  createProcessConfig = import ./create-process-config.nix { };
  createCredentials = import ./create-credentials.nix { inherit ids; };

  # Where nixproc's helper programs and the example webapp are.
  libexecDir = builtins.getEnv "NIXPROC_LIBEXEC_DIR";
}
