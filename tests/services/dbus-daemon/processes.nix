# Two D-Bus message buses side by side, for tests/services/dbus-daemon;
# root may connect to them too (the tests run as root).
(import ../lib.nix).processes ({ constructors, runtimeDir, ... }:
let
  instance = n: rec {
    instanceSuffix = toString n;
    socket = "${runtimeDir}/dbus${instanceSuffix}/bus_socket";
    pkg = constructors.dbus-daemon { inherit instanceSuffix; allowUsers = [ "root" ]; };
  };
in
{
  dbus1 = instance 1;
  dbus2 = instance 2;
})
