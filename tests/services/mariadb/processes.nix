# Two MariaDB servers side by side, for tests/services/mariadb.
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
    port = 3305 + n;
    instanceSuffix = toString n;
    socket = "${runtimeDir}/mariadb${instanceSuffix}/mariadbd.sock";
    pkg = constructors.mariadb { inherit port instanceSuffix; };
  };
in
{
  mariadb1 = instance 1;
  mariadb2 = instance 2;
}
