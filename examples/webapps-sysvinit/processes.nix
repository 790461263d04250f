# The example system with sysvinit-specific configs (see constructors.nix).
{ stateDir ? "/var"
, runtimeDir ? "${stateDir}/run"
, logDir ? "${stateDir}/log"
, cacheDir ? "${stateDir}/cache"
, tmpDir ? (if stateDir == "/var" then "/tmp" else "${stateDir}/tmp")
, forceDisableUserChange ? false
, processManager ? "sysvinit"
, ids ? (if builtins.pathExists ../webapps-agnostic/ids.nix then (import ../webapps-agnostic/ids.nix).ids else { })
, nginx ? "/usr/sbin/nginx"
}:

let
  nixproc = import <nixproc> {
    inherit stateDir runtimeDir logDir cacheDir tmpDir forceDisableUserChange processManager ids;
  };
  constructors = import ./constructors.nix { inherit nixproc nginx; };
in
rec {
  webapp = rec {
    port = ids.webappPorts.webapp or 5000;
    dnsName = "webapp.local";
    pkg = constructors.webapp { inherit port; };
  };

  nginx = rec {
    port = ids.nginxPorts.nginx or 8080;
    pkg = constructors.nginxReverseProxyHostBased { webapps = [ webapp ]; inherit port; } { };
  };
}
