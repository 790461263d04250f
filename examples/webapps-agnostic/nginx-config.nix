# The nginx.conf of a reverse proxy instance (reference section 7.2), with
# one upstream per webapp. routing = "host" (the original's host-based
# proxy): one server per webapp, matched by the Host header, and a default
# server that answers requests for unknown hosts. routing = "path": one
# server that sends /<webappName>/... to each webapp (without the prefix)
# and answers other paths with the same page. Every path nginx writes is in
# the instance's own state, so instances do not collide and an unprivileged
# user can run them. Shared by the agnostic, the sysvinit-specific and the
# services examples; returns the file (writeTextFile).
{ nixproc }:

# webapps: model instances with `port` and, for host routing, `dnsName`; for
# path routing their `webappName` or else their process name (pkg.name or
# pkg.instanceName) is the path prefix.
{ instanceName, port, webapps, workerConnections, routing ? "host" }:

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

  # Requests for hosts (or paths) no webapp serves. The original pointed
  # `root` at a directory holding an error page; a nixproc file is a single
  # file, so the page is returned inline.
  unavailable = ''
    location / {
      return 503 "<!DOCTYPE html>\n<html>\n  <head>\n    <title>Unavailable</title>\n  </head>\n  <body>\n    This web application is unavailable at the moment!\n  </body>\n</html>\n";
    }
  '';

  fallbackServer = ''

    server {
      listen ${toString port} default_server;
      server_name aaaa;
      default_type text/html;

  '' + indent unavailable + ''
    }
  '';

  webappName = webapp:
    let name = webapp.webappName or (webapp.pkg.name or (webapp.pkg.instanceName or null));
    in
    if builtins.isString name && builtins.match "[A-Za-z0-9._~-]+" name != null then name
    else throw "nginx-config ${instanceName}: a webapp needs a webappName (or a pkg with a name) usable as a path prefix, got ${builtins.toJSON name}";

  # The trailing slash of proxy_pass replaces the matched /<name>/ prefix
  # by /, so the webapp sees the paths it knows. nginx redirects /<name> to
  # /<name>/ itself.
  location = webapp: ''

    location /${webappName webapp}/ {
      proxy_pass http://${upstreamName webapp}/;
    }
  '';

  pathServer = ''

    server {
      listen ${toString port} default_server;
      default_type text/html;
  '' + indent (lib.concatMapStrings location webapps + "\n" + unavailable) + ''
    }
  '';

  servers =
    if routing == "host" then fallbackServer + lib.concatMapStrings server webapps
    else if routing == "path" then pathServer
    else throw "nginx-config ${instanceName}: unknown routing ${builtins.toJSON routing}: use \"host\" or \"path\"";

  http = ''
    access_log ${logDir}/access.log;
    error_log ${logDir}/error.log;

    proxy_temp_path ${tempDir}/proxy;
    client_body_temp_path ${tempDir}/client_body;
    fastcgi_temp_path ${tempDir}/fastcgi;
    uwsgi_temp_path ${tempDir}/uwsgi;
    scgi_temp_path ${tempDir}/scgi;
  '' + lib.concatMapStrings upstream webapps + servers;
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
