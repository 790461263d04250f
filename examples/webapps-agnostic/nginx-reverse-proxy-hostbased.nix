# nginx as a reverse proxy that routes by the Host header to the webapps it
# is given (reference section 7.2). nginx drops privileges itself, so it has
# no `user`; it starts as the deploying user and switches to its own user
# when it may.
{ nixproc, nginx }:

{ port ? 80, webapps ? [ ], instanceSuffix ? "", instanceName ? "nginx${instanceSuffix}"
, workerConnections ? 1024 }:
interDependencies:

let
  inherit (nixproc) createManagedProcess createCredentials writeTextFile lib;
  inherit (nixproc) stateDir runtimeDir cacheDir forceDisableUserChange;
  instanceDir = "${stateDir}/${instanceName}";
  logDir = "${instanceDir}/logs";
  tempDir = "${cacheDir}/${instanceName}";

  upstream = webapp: ''
    upstream webapp${toString webapp.port} {
      server localhost:${toString webapp.port};
    }
  '';
  server = webapp: ''
    server {
      listen ${toString port};
      server_name ${webapp.dnsName};
      location / {
        proxy_pass http://webapp${toString webapp.port};
      }
    }
  '';

  # worker_connections: the original's 190000 needs a file descriptor limit
  # that unprivileged users do not have; 1024 fits the default limit.
  config = writeTextFile {
    name = "${instanceName}.conf";
    text = ''
      pid ${runtimeDir}/${instanceName}.pid;
      error_log ${logDir}/error.log;
      ${lib.optionalString (!forceDisableUserChange) "user ${instanceName} ${instanceName};"}

      events {
        worker_connections ${toString workerConnections};
      }

      http {
        access_log ${logDir}/access.log;
        error_log ${logDir}/error.log;

        proxy_temp_path ${tempDir}/proxy;
        client_body_temp_path ${tempDir}/client_body;
        fastcgi_temp_path ${tempDir}/fastcgi;
        uwsgi_temp_path ${tempDir}/uwsgi;
        scgi_temp_path ${tempDir}/scgi;

        ${lib.concatMapStrings upstream webapps}

        # Requests for unknown hosts.
        server {
          listen ${toString port};
          server_name aaaa;
          default_type text/html;
          location / {
            return 503 "<!DOCTYPE html><html><head><title>Unavailable</title></head><body>This web application is unavailable at the moment!</body></html>\n";
          }
        }

        ${lib.concatMapStrings server webapps}
      }
    '';
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
