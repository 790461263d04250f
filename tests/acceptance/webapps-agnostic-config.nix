# T4: the agnostic JSON config of the webapp, built with no process manager,
# turned into a sysvinit script by nixproc generate-config, and started by
# hand.
{ testService }:

let checks = import ./checks.nix { };
in
testService {
  name = "webapps-agnostic-config";
  exprFile = ./empty.nix;
  processManagers = [ "sysvinit" ];
  profiles = [ "privileged" ];
  initialTests = _: ''
    config = machine.succeed("nixproc build -P none --no-out-link --force-disable-user-change ${toString ../../examples/webapps-agnostic/processes.nix}").strip()
    machine.succeed(f"test -s {config}/webapp.json")
    generated = machine.succeed(f"nixproc generate-config -P sysvinit --force-disable-user-change {config}/webapp.json").strip().splitlines()[-1]
    machine.succeed(f"{generated}/etc/rc.d/init.d/webapp start")
    machine.wait_until_succeeds("pgrep -f '/webapp -D$'")
    machine.succeed("curl --fail -s http://localhost:5000 | grep 'Simple test webapp'")
  '';
}
