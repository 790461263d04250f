# The services example: a multi-instance system on one machine, deployable
# with any process manager, privileged or unprivileged:
#
#   webapp1, webapp2       the example webapp (webapp1.local, webapp2.local)
#   nginx                  reverse proxy routing by Host header to both webapps
#   nginx2                 reverse proxy routing /webapp1/ and /webapp2/
#   postgresql1, 2         PostgreSQL servers (sockets in <runtimeDir>/<name>)
#   redis1, redis2         Redis servers
#   supervisord1           a supervisord deployed as a process itself, with a
#                          `hello` program and a conf.d to add more
#   s6-svscan1             an s6-svscan deployed as a process itself, with a
#                          `hello` service in its scan dir <runtimeDir>/service1
#
# Ports come from `ids` (ids.nix, nixproc-id-assign's output for
# idresources.nix, unless --extra-params gives other ones), e.g.
#   --extra-params '{"ids": {"redisPorts": {"redis1": 7001}}}'
# and default to the values below for instances `ids` does not name.
{ stateDir ? "/var"
, runtimeDir ? "${stateDir}/run"
, logDir ? "${stateDir}/log"
, cacheDir ? "${stateDir}/cache"
, libDir ? "${stateDir}/lib"
, tmpDir ? (if stateDir == "/var" then "/tmp" else "${stateDir}/tmp")
, forceDisableUserChange ? false
, processManager ? "sysvinit"
, webappMode ? null
, ids ? (if builtins.pathExists ./ids.nix then (import ./ids.nix).ids else { })
, nginx ? "/usr/sbin/nginx"
, postgresql ? "/usr/lib/postgresql/15"
}:

let
  nixproc = import <nixproc> {
    inherit stateDir runtimeDir logDir cacheDir libDir tmpDir forceDisableUserChange processManager ids;
  };
  constructors = import ./constructors.nix { inherit nixproc nginx webappMode postgresql; };

  webappInstance = n: rec {
    port = ids.webappPorts."webapp${toString n}" or (5000 + n);
    dnsName = "webapp${toString n}.local";
    pkg = constructors.webapp { inherit port; instanceSuffix = toString n; };
    requiresUniqueIdsFor = [ "webappPorts" "uids" "gids" ];
  };

  postgresqlInstance = n: rec {
    port = ids.postgresqlPorts."postgresql${toString n}" or (5431 + n);
    pkg = constructors.postgresql { inherit port; instanceSuffix = toString n; };
    requiresUniqueIdsFor = [ "postgresqlPorts" "uids" "gids" ];
  };

  redisInstance = n: rec {
    port = ids.redisPorts."redis${toString n}" or (6378 + n);
    pkg = constructors.redis { inherit port; instanceSuffix = toString n; };
    requiresUniqueIdsFor = [ "redisPorts" "uids" "gids" ];
  };
in
rec {
  webapp1 = webappInstance 1;
  webapp2 = webappInstance 2;

  # curl -H 'Host: webapp1.local' http://localhost:8080/
  nginx = rec {
    port = ids.nginxPorts.nginx or 8080;
    pkg = constructors.nginxReverseProxyHostBased {
      webapps = [ webapp1 webapp2 ];
      inherit port;
    } { };
    requiresUniqueIdsFor = [ "nginxPorts" "uids" "gids" ];
  };

  # curl http://localhost:8081/webapp1/
  nginx2 = rec {
    port = ids.nginxPorts.nginx2 or 8081;
    pkg = constructors.nginxReverseProxyPathBased {
      webapps = [ webapp1 webapp2 ];
      inherit port;
      instanceSuffix = "2";
    } { };
    requiresUniqueIdsFor = [ "nginxPorts" "uids" "gids" ];
  };

  # psql -h <runtimeDir>/postgresql1 -p 5432 -d postgres
  postgresql1 = postgresqlInstance 1;
  postgresql2 = postgresqlInstance 2;

  # redis-cli -p 6379 ping
  redis1 = redisInstance 1;
  redis2 = redisInstance 2;

  # supervisorctl -c <stateDir>/supervisord1/supervisord.conf status
  # (or -s http://127.0.0.1:9001). Named supervisord1, not supervisord: the
  # supervisord backend keeps its own supervisord's files under that name.
  supervisord1 = rec {
    port = ids.inetHTTPPorts.supervisord1 or 9001;
    pkg = constructors.extendableSupervisord {
      instanceSuffix = "1";
      inetHTTPServerPort = port;
      programs.hello = {
        command = "/bin/sleep infinity";
        startsecs = 0;
      };
    };
    requiresUniqueIdsFor = [ "inetHTTPPorts" ];
  };

  # s6-svstat <runtimeDir>/service1/hello
  s6-svscan1 = {
    pkg = constructors.s6-svscan {
      instanceSuffix = "1";
      services.hello = ''
        #!/bin/sh
        exec sleep infinity
      '';
    };
  };
}
