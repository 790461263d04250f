# The original's universal createManagedProcess: nixproc's, applied to the
# directories and ids given. pkgs is accepted and not needed: nixproc
# translates the config for the process manager chosen with -P.
{ pkgs ? null
, stateDir ? "/var"
, runtimeDir ? "${stateDir}/run"
, logDir ? "${stateDir}/log"
, tmpDir ? (if stateDir == "/var" then "/tmp" else "${stateDir}/tmp")
, cacheDir ? "${stateDir}/cache"
, spoolDir ? "${stateDir}/spool"
, lockDir ? "${stateDir}/lock"
, libDir ? "${stateDir}/lib"
, forceDisableUserChange ? false
, processManager ? null
, ids ? { }
, ...
}:

(import <nixproc> {
  inherit stateDir runtimeDir logDir tmpDir cacheDir spoolDir lockDir libDir;
  inherit forceDisableUserChange processManager ids;
}).createManagedProcess
