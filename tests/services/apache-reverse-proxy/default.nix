{ pkgs, testService, processManagers, profiles }@args:

let
  inherit (pkgs) lib;
in
(import ../lib.nix).suite args {
  exprFile = ./processes.nix;

  # The webapps answer "listening on port: <port>"; each proxy must reach
  # every webapp through its routing, and answer 503 for the rest.
  tests = { instanceName, instance, stateDir, runtimeDir, forceDisableUserChange, ... }:
    let
      proxy = "http://localhost:${toString instance.port}";
      viaHost = webapp: ''
        machine.succeed("curl -sS --fail -H 'Host: ${webapp.dnsName}' ${proxy}/ | grep -F 'listening on port: ${toString webapp.port}'")
      '';
      viaPath = webapp: ''
        machine.succeed("curl -sS --fail ${proxy}/${webapp.pkg.instanceName}/ | grep -F 'listening on port: ${toString webapp.port}'")
        machine.succeed("curl -sS --fail -L ${proxy}/${webapp.pkg.instanceName} | grep -F 'listening on port: ${toString webapp.port}'")
      '';
    in
    if instance ? webapps then
      lib.concatMapStrings (if instance.routing == "host" then viaHost else viaPath) instance.webapps + ''
        machine.succeed("curl -sS -o /dev/null -w '%{http_code}' -H 'Host: unknown.local' ${proxy}/nowhere | grep -x 503")
        machine.succeed("curl -sS ${proxy}/nowhere -H 'Host: unknown.local' | grep -F 'unavailable at the moment'")
        machine.succeed("kill -0 $(cat ${runtimeDir}/${instanceName}.pid)")
      '' + lib.optionalString (!forceDisableUserChange) ''
        machine.succeed("test \"$(ps -o user= --ppid $(cat ${runtimeDir}/${instanceName}.pid) | sort -u)\" = ${instanceName}")
      ''
    else ''
      machine.succeed("curl -sS --fail http://localhost:${toString instance.port}/ | grep -F 'listening on port: ${toString instance.port}'")
    '';
}
