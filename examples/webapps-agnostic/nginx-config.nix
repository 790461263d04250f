# The nginx.conf of a host-based reverse proxy instance: one upstream and
# one server (matched by Host) per webapp, and a fallback for unknown hosts.
# Shared by the agnostic and the sysvinit-specific examples.
{ nixproc }:

{ instanceName, port, webapps, workerConnections ? 1024 }:

let
  inherit (nixproc) writeTextFile lib stateDir runtimeDir cacheDir forceDisableUserChange;
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
config
