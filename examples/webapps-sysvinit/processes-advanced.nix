# Six webapps behind two nginx reverse proxies, with sysvinit-specific
# configs: nginx (port 8080) serves webapp1-4, nginx2 (port 8081) serves
# webapp5-6. Ports and IDs come from ids-advanced.nix unless `ids` is given.
{ stateDir ? "/var"
, runtimeDir ? "${stateDir}/run"
, logDir ? "${stateDir}/log"
, cacheDir ? "${stateDir}/cache"
, tmpDir ? (if stateDir == "/var" then "/tmp" else "${stateDir}/tmp")
, forceDisableUserChange ? false
, processManager ? "sysvinit"
, ids ? (if builtins.pathExists ./ids-advanced.nix then (import ./ids-advanced.nix).ids else { })
, nginx ? "/usr/sbin/nginx"
}:

let
  nixproc = import <nixproc> {
    inherit stateDir runtimeDir logDir cacheDir tmpDir forceDisableUserChange processManager ids;
  };
  constructors = import ./constructors.nix { inherit nixproc nginx; };

  webappInstance = n: rec {
    port = ids.webappPorts."webapp${toString n}" or (5000 + n);
    dnsName = "webapp${toString n}.local";
    pkg = constructors.webapp { inherit port; instanceSuffix = toString n; };
    requiresUniqueIdsFor = [ "webappPorts" "uids" "gids" ];
  };
in
rec {
  webapp1 = webappInstance 1;
  webapp2 = webappInstance 2;
  webapp3 = webappInstance 3;
  webapp4 = webappInstance 4;
  webapp5 = webappInstance 5;
  webapp6 = webappInstance 6;

  nginx = rec {
    port = ids.nginxPorts.nginx or 8080;
    pkg = constructors.nginxReverseProxyHostBased {
      webapps = [ webapp1 webapp2 webapp3 webapp4 ];
      inherit port;
    } { };
    requiresUniqueIdsFor = [ "nginxPorts" "uids" "gids" ];
  };

  nginx2 = rec {
    port = ids.nginxPorts.nginx2 or 8081;
    pkg = constructors.nginxReverseProxyHostBased {
      webapps = [ webapp5 webapp6 ];
      inherit port;
      instanceSuffix = "2";
    } { };
    requiresUniqueIdsFor = [ "nginxPorts" "uids" "gids" ];
  };
}
