# T6: supervisord run statelessly in the foreground (daemonised here by
# nixproc-daemon) deploys the example system: R1.
{ testService }:

let checks = import ./checks.nix { };
in
testService {
  name = "supervisord-stateless";
  exprFile = ./empty.nix;
  processManagers = [ "supervisord" ];
  profiles = [ "privileged" "unprivileged" ];
  initialTests = params:
    checks.succeed (params.asDeployer
      "setsid nixproc supervisord-stateless ${if params ? callingUser then "--state-dir ${params.stateDir} --force-disable-user-change" else ""} ${toString ../../examples/webapps-agnostic/processes.nix} </dev/null >/tmp/stateless.log 2>&1 &")
    + checks.r1;
}
