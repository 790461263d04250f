# The example system written directly as sysvinit scripts
# (createSystemVInitScript) instead of process-manager-agnostic configs. It
# only deploys with `-P sysvinit`.
{ nixproc, nginx ? "/usr/sbin/nginx" }:

let
  inherit (nixproc) createSystemVInitScript createCredentials lib;
  inherit (nixproc) stateDir cacheDir tmpDir libexecDir forceDisableUserChange;
in
{
  webapp = { port, instanceSuffix ? "", instanceName ? "webapp${instanceSuffix}" }:
    createSystemVInitScript {
      inherit instanceName;
      name = instanceName;
      description = "Simple web application";
      process = "${libexecDir}/webapp";
      args = [ "-D" ];
      environment = { PORT = port; PID_FILE = "${tmpDir}/${instanceName}.pid"; };
      runlevels = [ 3 4 5 ];
      user = instanceName;
      credentials = createCredentials {
        groups.${instanceName} = { };
        users.${instanceName} = { group = instanceName; description = "Webapp"; };
      };
    };

  nginxReverseProxyHostBased = { port ? 80, webapps ? [ ], instanceSuffix ? "", instanceName ? "nginx${instanceSuffix}" }:
    interDependencies:
    let
      instanceDir = "${stateDir}/${instanceName}";
      config = import ../webapps-agnostic/nginx-config.nix { inherit nixproc; } {
        inherit instanceName port webapps;
      };
    in
    createSystemVInitScript {
      inherit instanceName;
      name = instanceName;
      description = "Nginx";
      initialize = ''
        mkdir -p ${instanceDir}/logs ${cacheDir}/${instanceName}
        ${lib.optionalString (!forceDisableUserChange) ''
          chown ${instanceName}:${instanceName} ${instanceDir}/logs ${cacheDir}/${instanceName}
        ''}
      '';
      process = nginx;
      args = [ "-c" config "-p" instanceDir "-e" "${instanceDir}/logs/error.log" ];
      runlevels = [ 3 4 5 ];
      dependencies = map (webapp: webapp.pkg) webapps;
      credentials = createCredentials {
        groups.${instanceName} = { };
        users.${instanceName} = { group = instanceName; description = "Nginx user"; };
      };
    };
}
