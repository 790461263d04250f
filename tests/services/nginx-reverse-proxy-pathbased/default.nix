# Each path-based nginx reaches each of its webapps below /<webapp>/, and
# answers a path it does not route with its "unavailable" page.
{ pkgs, testService, processManagers, profiles }@args:

(import ../lib.nix).suite args {
  exprFile = ./processes.nix;

  tests = { instanceName, instance, ... }:
    pkgs.lib.optionalString (instance ? webapps) (pkgs.lib.concatMapStrings (webapp: ''
      machine.succeed("curl --fail -s http://localhost:${toString instance.port}${webapp.path} | grep 'listening on port: ${toString webapp.port}'")
    '') instance.webapps + ''
      machine.succeed("curl -s http://localhost:${toString instance.port}/elsewhere/ | grep -i unavailable")
    '');
}
