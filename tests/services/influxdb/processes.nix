# Two InfluxDB servers side by side, for tests/services/influxdb.
(import ../lib.nix).processes ({ constructors, ... }:
let
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
})
