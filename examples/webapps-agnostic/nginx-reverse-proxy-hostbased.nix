# nginx as a reverse proxy that routes by the Host header to the webapps it
# is given (reference section 7.2). nginx drops privileges itself, so it has
# no `user`; it starts as the deploying user and switches to its own user
# when it may.
{ nixproc, nginx }:

{ port ? 80, webapps ? [ ], instanceSuffix ? "", instanceName ? "nginx${instanceSuffix}"
, workerConnections ? 1024 }:
interDependencies:

let
  inherit (nixproc) createManagedProcess createCredentials lib;
  inherit (nixproc) stateDir cacheDir forceDisableUserChange;
  instanceDir = "${stateDir}/${instanceName}";
  logDir = "${instanceDir}/logs";
  tempDir = "${cacheDir}/${instanceName}";

  config = import ./nginx-config.nix { inherit nixproc; } {
    inherit instanceName port webapps workerConnections;
  };
in
createManagedProcess {
  inherit instanceName;
  description = "Nginx";
  initialize = ''
    mkdir -p ${logDir} ${tempDir}
    ${lib.optionalString (!forceDisableUserChange) ''
      chown ${instanceName}:${instanceName} ${logDir} ${tempDir}
    ''}
  '';
  process = nginx;
  # -e: nginx opens its built-in error log before reading the config;
  # point it into the instance's state so unprivileged users can start it.
  args = [ "-p" instanceDir "-c" config "-e" "${logDir}/error.log" ];
  foregroundProcessExtraArgs = [ "-g" "daemon off;" ];
  dependencies = map (webapp: webapp.pkg) webapps;
  credentials = createCredentials {
    groups.${instanceName} = { };
    users.${instanceName} = { group = instanceName; description = "Nginx user"; };
  };
  overrides.sysvinit.runlevels = [ 3 4 5 ];
}
