# nginx as a reverse proxy in front of the webapps it is given (reference
# section 7.2), routing requests by their Host header (routing = "host",
# nginxReverseProxyHostBased) or by a /<webappName>/ path prefix
# (routing = "path", nginxReverseProxyPathBased); nginx-config.nix writes
# the config.
#
# There is no `user` parameter: nginx starts as the deploying user and, when
# that is root, switches its workers to the instance's user itself (the
# `user` line of its config). Its PID file is therefore in runtimeDir, where
# the config's `pid` line puts it.
{ nixproc, nginx, routing, constructorName }:

{ port ? 80
, webapps ? [ ]
, instanceSuffix ? ""
, instanceName ? "nginx${instanceSuffix}"
  # The original's default is 190000. Every nginx worker allocates its
  # connection table for that many connections up front (tens of megabytes)
  # and warns that they exceed its open file limit, which for an
  # unprivileged user is usually 1024. 1024 fits the default limits and is
  # plenty for the examples.
, workerConnections ? 1024
}:
# The original takes Disnix inter-dependencies here (webapps on other
# machines); nixproc deploys on one machine, so pass { }.
interDependencies:

let
  inherit (nixproc) createManagedProcess createCredentials lib;
  inherit (nixproc) stateDir cacheDir forceDisableUserChange;
  instanceDir = "${stateDir}/${instanceName}";
  logDir = "${instanceDir}/logs";
  tempDir = "${cacheDir}/${instanceName}";

  config = import ./nginx-config.nix { inherit nixproc; } {
    inherit instanceName port webapps workerConnections routing;
  };
in
if interDependencies != { } then
  throw "${constructorName} ${instanceName}: inter-dependencies (webapps on other machines) are not supported; pass { }"
else
createManagedProcess {
  inherit instanceName;
  description = "Nginx";
  initialize = ''
    mkdir -p ${logDir} ${tempDir}
  '' + lib.optionalString (!forceDisableUserChange) ''
    chown ${instanceName}:${instanceName} ${logDir} ${tempDir}
  '';
  process = nginx;
  # -e: nginx opens its built-in error log before it reads the config; point
  # it into the instance's state so nginx never touches /var/log/nginx.
  args = [ "-p" instanceDir "-c" config "-e" "${logDir}/error.log" ];
  foregroundProcessExtraArgs = [ "-g" "daemon off;" ];
  dependencies = map (webapp: webapp.pkg) webapps;
  credentials = createCredentials {
    groups.${instanceName} = { };
    users.${instanceName} = { group = instanceName; description = "Nginx user"; };
  };
  overrides.sysvinit.runlevels = [ 3 4 5 ];
}
