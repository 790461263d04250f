# Two InfluxDB servers side by side, for tests/services/influxdb.
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
    port = 8085 + n;
    rpcPort = 8087 + 10 * n;
    instanceSuffix = toString n;
    pkg = constructors.influxdb { inherit port rpcPort instanceSuffix; };
  };
in
{
  influxdb1 = instance 1;
  influxdb2 = instance 2;
}
