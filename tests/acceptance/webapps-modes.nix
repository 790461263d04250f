# T5, T7, T9, T10 and T11: the agnostic example system with each process
# manager, privileged: the webapp in the foreground, as a daemon and in the
# manager's preferred form ("auto": the daemon form for sysvinit and disnix,
# else the foreground one), each as its own user and behind nginx (R1); the
# advanced system (R2); user changes disabled (the webapp runs as root);
# the undeploy (U). The webapp's user has uid 2001 (ids.nix), so the check
# works for the docker backend's containers as well.
{ testService
, processManagers ? [ "supervisord" "systemd" "docker" "s6-rc" "disnix" "sysvinit" "s6" "runit" ]
}:

let
  checks = import ./checks.nix { };
  model = toString ../../examples/webapps-agnostic/processes.nix;
  advanced = toString ../../examples/webapps-agnostic/processes-advanced.nix;
  foreground = "/webapp$";
  daemon = "/webapp -D$";
  runs = user: pattern: checks.waitUntil "pgrep -u ${user} -f '${pattern}'";
  withMode = mode: "--extra-params '{\"webappMode\": ${builtins.toJSON mode}}' ${model}";
in
testService {
  name = "webapps-modes";
  exprFile = ./empty.nix;
  profiles = [ "privileged" ];
  inherit processManagers;
  postTests = { switchSystem, processManager, ... }:
    let auto = if processManager == "sysvinit" || processManager == "disnix" then daemon else foreground;
    in
    checks.succeed (switchSystem (withMode "foreground")) + runs "2001" foreground + checks.r1
    + checks.succeed (switchSystem (withMode "daemon")) + runs "2001" daemon + checks.r1
    + checks.succeed (switchSystem model) + runs "2001" auto + checks.r1
    + checks.succeed (switchSystem advanced) + checks.r2
    + checks.succeed (switchSystem "--force-disable-user-change ${model}") + runs "root" auto + checks.r1
    + checks.succeed (switchSystem "--undeploy") + checks.u;
}
