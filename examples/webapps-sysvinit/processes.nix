# The example system (a webapp behind an nginx reverse proxy that routes by
# Host header) with sysvinit-specific configs; see constructors.nix. Ports
# and IDs come from ids.nix (nixproc id-assign's output) unless `ids` is
# given, e.g. --extra-params '{"ids": {"webappPorts": {"webapp": 5000}}}'.
{ stateDir ? "/var"
, runtimeDir ? "${stateDir}/run"
, logDir ? "${stateDir}/log"
, cacheDir ? "${stateDir}/cache"
, tmpDir ? (if stateDir == "/var" then "/tmp" else "${stateDir}/tmp")
, forceDisableUserChange ? false
, processManager ? "sysvinit"
, ids ? (if builtins.pathExists ./ids.nix then (import ./ids.nix).ids else { })
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
    requiresUniqueIdsFor = [ "webappPorts" "uids" "gids" ];
  };

  nginx = rec {
    port = ids.nginxPorts.nginx or 8080;
    pkg = constructors.nginxReverseProxyHostBased {
      webapps = [ webapp ];
      inherit port;
    } { };
    requiresUniqueIdsFor = [ "nginxPorts" "uids" "gids" ];
  };
}
