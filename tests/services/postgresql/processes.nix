# Two PostgreSQL servers side by side, each with its own data directory,
# socket directory (<runtimeDir>/<instance>) and port.
{ stateDir ? "/var"
, runtimeDir ? "${stateDir}/run"
, logDir ? "${stateDir}/log"
, cacheDir ? "${stateDir}/cache"
, libDir ? "${stateDir}/lib"
, tmpDir ? (if stateDir == "/var" then "/tmp" else "${stateDir}/tmp")
, forceDisableUserChange ? false
, processManager ? "sysvinit"
}:

let
  nixproc = import <nixproc> {
    inherit stateDir runtimeDir logDir cacheDir libDir tmpDir forceDisableUserChange processManager;
  };
  constructors = import ../../../examples/services-agnostic/constructors.nix { inherit nixproc; };
  instance = n: rec {
    port = 5431 + n;
    pkg = constructors.postgresql { inherit port; instanceSuffix = toString n; };
  };
in
{
  postgresql1 = instance 1;
  postgresql2 = instance 2;
}
