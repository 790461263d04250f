# Each path-based nginx reaches each of its webapps below /<webapp>/, and
# answers a path it does not route with its "unavailable" page.
{ pkgs, testService, processManagers, profiles }:

testService {
  exprFile = ./processes.nix;

  readiness = { instanceName, instance, ... }: ''
    machine.wait_for_open_port(${toString instance.port})
  '';

  tests = { instanceName, instance, ... }:
    pkgs.lib.optionalString (instance ? webapps) (pkgs.lib.concatMapStrings (webapp: ''
      machine.succeed("curl --fail -s http://localhost:${toString instance.port}${webapp.path} | grep 'listening on port: ${toString webapp.port}'")
    '') instance.webapps + ''
      machine.succeed("curl -s http://localhost:${toString instance.port}/elsewhere/ | grep -i unavailable")
    '');

  inherit processManagers profiles;
}
