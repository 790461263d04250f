# T1: the example system's profile builds for all nine backends (the three
# that cannot run here too: bsdrc, launchd, cygrunsrv).
{ testService }:

let checks = import ./checks.nix { };
in
testService {
  name = "builds";
  exprFile = ./empty.nix;
  processManagers = [ "sysvinit" ];
  profiles = [ "unprivileged" ];
  postTests = params: builtins.concatStringsSep "" (map (pm:
    checks.succeed (params.asDeployer
      "nixproc build -P ${pm} --no-out-link --state-dir ${params.stateDir} --force-disable-user-change ${toString ../../examples/webapps-agnostic/processes.nix} | grep -q ."))
    [ "bsdrc" "cygrunsrv" "disnix" "docker" "launchd" "s6-rc" "supervisord" "systemd" "sysvinit" "s6" "runit" ]);
}
