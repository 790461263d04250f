# Two web applications written as for the original framework: its model
# parameters, its universal createManagedProcess import path, plain
# credentials whose ids come from ./ids.nix, and overrides in the shapes the
# original's generators took.
{ pkgs ? import <nixpkgs> { inherit system; }
, system ? builtins.currentSystem
, stateDir ? "/var"
, runtimeDir ? "${stateDir}/run"
, logDir ? "${stateDir}/log"
, tmpDir ? (if stateDir == "/var" then "/tmp" else "${stateDir}/tmp")
, forceDisableUserChange ? false
, processManager ? "sysvinit"
, webapp ? "${builtins.getEnv "NIXPROC_LIBEXEC_DIR"}/webapp"
, port1 ? 5001
, port2 ? 5002
}:

let
  ids = (import ./ids.nix).ids;
  createManagedProcess = import <nix-processmgmt/nixproc/create-managed-process/universal/create-managed-process-universal.nix> {
    inherit pkgs runtimeDir tmpDir logDir stateDir forceDisableUserChange processManager ids;
  };
  webappInstance = { instanceName, port, dependencies ? [ ], overrides ? { } }:
    createManagedProcess {
      name = instanceName;
      inherit instanceName dependencies overrides;
      description = "Web application ${instanceName}";
      process = webapp;
      daemonExtraArgs = [ "-D" ];
      environment = { PORT = port; PID_FILE = "${tmpDir}/${instanceName}.pid"; };
      user = instanceName;
      # As in the original: a file added to the process's package.
      postInstall = ''
        mkdir -p $out/etc/webapps
        echo "port=${toString port}" > $out/etc/webapps/${instanceName}.conf
      '';
      credentials = {
        groups.webapps = { };
        users.${instanceName} = { group = "webapps"; description = "Web application"; };
      };
    };
in
rec {
  webapp-1 = {
    pkg = webappInstance {
      instanceName = "webapp-1";
      port = port1;
      overrides = {
        sysvinit.runlevels = [ 3 4 5 ];
        supervisord.startsecs = 5;
        launchd.KeepAlive = true;
        docker.container.dockerCreateParameters = { cpus = 1; };
        cygrunsrv.type = "manual";
      };
    };
  };

  webapp-2 = {
    pkg = webappInstance {
      instanceName = "webapp-2";
      port = port2;
      dependencies = [ webapp-1.pkg ];
      overrides.supervisord = { startretries = 7; program.stopwaitsecs = 4; };
    };
  };
}
