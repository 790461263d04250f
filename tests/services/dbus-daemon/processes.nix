# Two D-Bus message buses side by side, for tests/services/dbus-daemon;
# root may connect to them too (the tests run as root).
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
    instanceSuffix = toString n;
    socket = "${runtimeDir}/dbus${instanceSuffix}/bus_socket";
    pkg = constructors.dbus-daemon { inherit instanceSuffix; allowUsers = [ "root" ]; };
  };
in
{
  dbus1 = instance 1;
  dbus2 = instance 2;
}
