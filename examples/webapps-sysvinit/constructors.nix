# The constructors of the example system written directly as sysvinit
# scripts (createSystemVInitScript) instead of process-manager-agnostic
# configs, so the models of this directory only deploy with `-P sysvinit`.
# `nixproc` is the library applied to the common parameters; `nginx` the
# nginx executable (Debian's by default).
{ nixproc, nginx ? "/usr/sbin/nginx" }:

let
  inherit (nixproc) createSystemVInitScript createCredentials lib;
  inherit (nixproc) stateDir cacheDir tmpDir libexecDir forceDisableUserChange;

  credentialsFor = instanceName: description: createCredentials {
    groups.${instanceName} = { };
    users.${instanceName} = { group = instanceName; inherit description; };
  };
in
{
  # The example web application, started as a daemon (-D) that writes its
  # PID to PID_FILE. Running as its own user puts its PID file in tmpDir,
  # which is where the script looks for it.
  webapp = { port, instanceSuffix ? "", instanceName ? "webapp${instanceSuffix}" }:
    createSystemVInitScript {
      inherit instanceName;
      name = instanceName;
      description = "Simple web application";
      process = "${libexecDir}/webapp";
      args = [ "-D" ];
      environment = {
        PORT = port;
        PID_FILE = "${tmpDir}/${instanceName}.pid";
      };
      runlevels = [ 3 4 5 ];
      user = instanceName;
      credentials = credentialsFor instanceName "Webapp";
    };

  # nginx as a host-based reverse proxy for `webapps` (model instances with
  # port and dnsName), with the same nginx.conf as the agnostic example.
  # nginx daemonises itself and writes <runtimeDir>/<instanceName>.pid, the
  # script's default PID file for a process without `user`; it switches to
  # its own user itself when started as root.
  nginxReverseProxyHostBased =
    { port ? 80
    , webapps ? [ ]
    , instanceSuffix ? ""
    , instanceName ? "nginx${instanceSuffix}"
    , workerConnections ? 1024 # see ../webapps-agnostic/nginx-reverse-proxy-hostbased.nix
    }:
    interDependencies:
    let
      instanceDir = "${stateDir}/${instanceName}";
      logDir = "${instanceDir}/logs";
      tempDir = "${cacheDir}/${instanceName}";
      config = import ../webapps-agnostic/nginx-config.nix { inherit nixproc; } {
        inherit instanceName port webapps workerConnections;
      };
    in
    if interDependencies != { } then
      throw "nginxReverseProxyHostBased ${instanceName}: inter-dependencies (webapps on other machines) are not supported; pass { }"
    else
    createSystemVInitScript {
      inherit instanceName;
      name = instanceName;
      description = "Nginx";
      initialize = ''
        mkdir -p ${logDir} ${tempDir}
      '' + lib.optionalString (!forceDisableUserChange) ''
        chown ${instanceName}:${instanceName} ${logDir} ${tempDir}
      '';
      process = nginx;
      args = [ "-c" config "-p" instanceDir "-e" "${logDir}/error.log" ];
      runlevels = [ 3 4 5 ];
      dependencies = map (webapp: webapp.pkg) webapps;
      credentials = credentialsFor instanceName "Nginx user";
    };
}
