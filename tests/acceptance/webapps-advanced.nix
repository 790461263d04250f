# The advanced example system (examples/webapps-agnostic/processes-advanced.nix:
# six webapps behind two host-based nginx proxies) under every process
# manager, privileged and unprivileged: each instance ready once it listens,
# each proxy reaching each of its webapps by name, and an undeploy leaving
# nothing running. Managers that cannot run here are reported skipped.
{ testService
, processManagers ? [ "sysvinit" "disnix" "supervisord" "s6" "runit" "systemd" "docker"
                      "s6-rc" "bsdrc" "launchd" "cygrunsrv" ]
, profiles ? [ "privileged" "unprivileged" ]
}:

let
  checks = import ./checks.nix { };
  webappsOf = {
    nginx = [ 1 2 3 4 ];
    nginx2 = [ 5 6 ];
  };
in
testService {
  name = "webapps-advanced";
  exprFile = ../../examples/webapps-agnostic/processes-advanced.nix;

  readiness = { instance, ... }: ''
    machine.wait_for_open_port(${toString instance.port})
  '';

  tests = { instanceName, instance, ... }:
    builtins.concatStringsSep "" (map (n:
      checks.succeed "curl --fail -s -H 'Host: webapp${toString n}.local' http://localhost:${toString instance.port} | grep 'listening on port: ${toString (5000 + n)}'")
      (webappsOf.${instanceName} or [ ]));

  postTests = { switchSystem, ... }:
    checks.succeed (switchSystem "--undeploy") + checks.u;

  inherit processManagers profiles;
}
