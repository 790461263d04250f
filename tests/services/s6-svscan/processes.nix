# Two s6-svscans deployed as processes, each scanning its own directory
# (<runtimeDir>/service<suffix>).
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
in
{
  s6-svscan-primary = {
    instanceSuffix = "-primary";
    pkg = constructors.s6-svscan { instanceSuffix = "-primary"; };
  };
  s6-svscan-secondary = {
    instanceSuffix = "-secondary";
    pkg = constructors.s6-svscan { instanceSuffix = "-secondary"; };
  };
}
