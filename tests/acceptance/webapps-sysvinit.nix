# T2 and T3: the sysvinit-specific and the agnostic example systems with
# sysvinit, privileged and unprivileged: R1, an upgrade to the advanced
# system (R2), a rollback (R1), an undeploy (U), and no generation left
# after --delete-all-generations. The agnostic one also starts a single
# webapp's init script by hand in each mode (foreground, daemon, auto).
{ testService, profiles ? [ "privileged" "unprivileged" ] }:

let
  checks = import ./checks.nix { };
  sequence = dir: { switchSystem, ... }:
    checks.r1
    + checks.succeed (switchSystem (toString (dir + "/processes-advanced.nix"))) + checks.r2
    + checks.succeed (switchSystem "--rollback") + checks.r1
    + checks.succeed (switchSystem "--undeploy") + checks.u
    + checks.succeed (switchSystem "--delete-all-generations")
    + checks.succeed "test \"$(${switchSystem "--list-generations"} | wc -l)\" = 0";

  # The single webapp's init script, started and stopped by hand in one mode.
  byHand = params: mode: pattern:
    let
      build = "nixproc build -P sysvinit --no-out-link --state-dir ${params.stateDir} --force-disable-user-change --extra-params '{\"webappMode\": ${builtins.toJSON mode}}' ${toString ../../examples/webapps-agnostic/processes.nix}";
      script = "$(${build})/etc/rc.d/init.d/webapp";
    in
    checks.succeed (params.asDeployer "${script} start")
    + checks.waitUntil "pgrep -u ${params.callingUser or "root"} -f '${pattern}'"
    + checks.succeed "curl --fail -s http://localhost:5000 | grep 'Simple test webapp'"
    + checks.succeed (params.asDeployer "${script} stop")
    + checks.fail "curl --fail -s http://localhost:5000";
in
{
  sysvinit-specific = testService {
    name = "webapps-sysvinit";
    exprFile = ../../examples/webapps-sysvinit/processes.nix;
    processManagers = [ "sysvinit" ];
    inherit profiles;
    postTests = sequence ../../examples/webapps-sysvinit;
  };

  agnostic = testService {
    name = "webapps-agnostic-sysvinit";
    exprFile = ./empty.nix;
    processManagers = [ "sysvinit" ];
    inherit profiles;
    initialTests = params:
      byHand params "foreground" "/webapp$"
      + byHand params "daemon" "/webapp -D$"
      + byHand params null "/webapp -D$";  # auto: the daemon form
    postTests = { switchSystem, ... }@params:
      checks.succeed (switchSystem (toString ../../examples/webapps-agnostic/processes.nix))
      + sequence ../../examples/webapps-agnostic params;
  };
}
