{ pkgs, testService, processManagers, profiles }@args:

(import ../lib.nix).suite args {
  exprFile = ./processes.nix;

  # The HTTP API answers /ping, creates a database, takes a point and gives
  # it back; the influx client sees the database.
  tests = { instanceName, instance, ... }:
    let
      url = "http://127.0.0.1:${toString instance.port}";
    in
    ''
      machine.succeed("test \"$(curl -s -o /dev/null -w '%{http_code}' ${url}/ping)\" = 204")
      machine.succeed("curl -sS --fail -XPOST ${url}/query --data-urlencode 'q=CREATE DATABASE nixproc'")
      machine.succeed(
          "curl -sS --fail -XPOST '${url}/write?db=nixproc' --data-binary 'hello,instance=${instanceName} value=1'"
      )
      machine.succeed(
          "curl -sS --fail -G ${url}/query --data-urlencode db=nixproc "
          + "--data-urlencode 'q=SELECT * FROM hello' | grep -q '\"${instanceName}\"'"
      )
      machine.succeed(
          "influx -host 127.0.0.1 -port ${toString instance.port} -execute 'SHOW DATABASES' | grep -qx nixproc"
      )
    '';
}
