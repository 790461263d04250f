# Two supervisords deployed as processes, each extendable through its
# conf.d and controlled over its own HTTP port.
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
  supervisord-primary = rec {
    port = 9001;
    pkg = constructors.extendableSupervisord { instanceSuffix = "-primary"; inetHTTPServerPort = port; };
  };
  supervisord-secondary = rec {
    port = 9002;
    pkg = constructors.extendableSupervisord { instanceSuffix = "-secondary"; inetHTTPServerPort = port; };
  };
}
