# Two MariaDB servers side by side, for tests/services/mariadb.
(import ../lib.nix).processes ({ constructors, runtimeDir, ... }:
let
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
})
