# The nginx.conf of a host-based reverse proxy instance (reference section
# 7.2): one upstream and one server (matched by the Host header) per webapp,
# and a default server that answers requests for unknown hosts. Every path
# nginx writes is in the instance's own state, so instances do not collide
# and an unprivileged user can run them. Shared by the agnostic and the
# sysvinit-specific examples; returns the file (writeTextFile).
{ nixproc }:

# webapps: model instances with `port` and `dnsName`.
{ instanceName, port, webapps, workerConnections }:

let
  inherit (nixproc) writeTextFile lib stateDir runtimeDir cacheDir forceDisableUserChange;
  logDir = "${stateDir}/${instanceName}/logs";
  tempDir = "${cacheDir}/${instanceName}";
  upstreamName = webapp: "webapp${toString webapp.port}";

  # Indents every non-empty line by two spaces (Nix strips the indentation
  # of each ''...'' string separately, so nested blocks are indented here).
  indent = text: lib.concatMapStrings (line: if line == "" then "\n" else "  ${line}\n")
    (builtins.filter builtins.isString (builtins.split "\n" (lib.removeSuffix "\n" text)));

  upstream = webapp: ''

    upstream ${upstreamName webapp} {
      # 127.0.0.1, not localhost: the webapp listens on IPv4 only, and
      # localhost may resolve to ::1 first.
      server 127.0.0.1:${toString webapp.port};
    }
  '';

  server = webapp: ''

    server {
      listen ${toString port};
      server_name ${webapp.dnsName};

      location / {
        proxy_pass http://${upstreamName webapp};
      }
    }
  '';

  # Requests for hosts no webapp serves. The original pointed `root` at a
  # directory holding an error page; a nixproc file is a single file, so the
  # page is returned inline.
  fallbackServer = ''

    server {
      listen ${toString port} default_server;
      server_name aaaa;
      default_type text/html;

      location / {
        return 503 "<!DOCTYPE html>\n<html>\n  <head>\n    <title>Unavailable</title>\n  </head>\n  <body>\n    This web application is unavailable at the moment!\n  </body>\n</html>\n";
      }
    }
  '';

  http = ''
    access_log ${logDir}/access.log;
    error_log ${logDir}/error.log;

    proxy_temp_path ${tempDir}/proxy;
    client_body_temp_path ${tempDir}/client_body;
    fastcgi_temp_path ${tempDir}/fastcgi;
    uwsgi_temp_path ${tempDir}/uwsgi;
    scgi_temp_path ${tempDir}/scgi;
  '' + lib.concatMapStrings upstream webapps + fallbackServer + lib.concatMapStrings server webapps;
in
writeTextFile {
  name = "${instanceName}.conf";
  text = ''
    pid ${runtimeDir}/${instanceName}.pid;
    error_log ${logDir}/error.log;
  '' + lib.optionalString (!forceDisableUserChange) ''
    user ${instanceName} ${instanceName};
  '' + ''

    events {
      worker_connections ${toString workerConnections};
    }

    http {
  '' + indent http + ''
    }
  '';
}
