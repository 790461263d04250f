# nginx serving a static web root, beside the reverse proxies of
# ../webapps-agnostic (the same layout, so instances do not collide and an
# unprivileged user can run them): config generated, PID file
# <runtimeDir>/<instanceName>.pid, logs in <stateDir>/<instanceName>/logs,
# temporary files in <cacheDir>/<instanceName>. The root is `webRoot`, a
# directory (a path literal, which Nix copies into the store, a derivation,
# or an absolute path); without one, `index` is copied to
# <stateDir>/<instanceName>/htdocs/index.html at every start.
#
# As the nginx proxies do, nginx starts as the deploying user and, when that
# is root, switches its workers to the instance's user itself (its `user`
# line, left out with forceDisableUserChange).
{ nixproc, nginx }:

{ port ? 80
, instanceSuffix ? ""
, instanceName ? "nginx${instanceSuffix}"
, webRoot ? null
  # The generated index page's HTML (only without webRoot).
, index ? ''
    <!DOCTYPE html>
    <html>
      <head><title>${instanceName}</title></head>
      <body>Served by nginx instance ${instanceName} on port ${toString port}</body>
    </html>
  ''
  # The MIME types nginx includes (Debian's nginx-common).
, mimeTypes ? "/etc/nginx/mime.types"
  # More lines for the server block.
, extraConfig ? ""
, workerConnections ? 1024
}:

let
  inherit (nixproc) createManagedProcess createCredentials writeTextFile lib;
  inherit (nixproc) stateDir runtimeDir cacheDir forceDisableUserChange;
  q = lib.escapeShellArg;
  # An nginx string: double-quoted, with \ and " escaped (a $ in `root`
  # would still start a variable).
  quote = value: "\"${builtins.replaceStrings [ "\\" "\"" ] [ "\\\\" "\\\"" ] (toString value)}\"";
  instanceDir = "${stateDir}/${instanceName}";
  logDir = "${instanceDir}/logs";
  tempDir = "${cacheDir}/${instanceName}";
  generatedRoot = "${instanceDir}/htdocs";
  documentRoot = if webRoot == null then generatedRoot else "${webRoot}";
  indexFile = writeTextFile { name = "${instanceName}-index.html"; text = index; };

  config = writeTextFile {
    name = "${instanceName}.conf";
    text = ''
      pid ${quote "${runtimeDir}/${instanceName}.pid"};
      error_log ${quote "${logDir}/error.log"};
    '' + lib.optionalString (!forceDisableUserChange) ''
      user ${instanceName} ${instanceName};
    '' + ''

      events {
        worker_connections ${toString workerConnections};
      }

      http {
        include ${quote mimeTypes};
        default_type application/octet-stream;
        access_log ${quote "${logDir}/access.log"};
        client_body_temp_path ${quote "${tempDir}/client_body"};
        proxy_temp_path ${quote "${tempDir}/proxy"};
        fastcgi_temp_path ${quote "${tempDir}/fastcgi"};
        uwsgi_temp_path ${quote "${tempDir}/uwsgi"};
        scgi_temp_path ${quote "${tempDir}/scgi"};

        server {
          listen ${toString port};
          root ${quote documentRoot};
          index index.html;
    '' + extraConfig + ''
        }
      }
    '';
  };
in
createManagedProcess {
  inherit instanceName;
  description = "nginx serving ${documentRoot} on port ${toString port}";
  initialize = ''
    mkdir -p ${q logDir} ${q tempDir}
  '' + lib.optionalString (webRoot == null) ''
    mkdir -p ${q generatedRoot}
    install -m 0644 ${q indexFile} ${q "${generatedRoot}/index.html"}
  '' + lib.optionalString (!forceDisableUserChange) ''
    chown ${q "${instanceName}:${instanceName}"} ${q logDir} ${q tempDir}
  '';
  process = nginx;
  # -e: nginx opens its built-in error log before it reads the config.
  args = [ "-p" instanceDir "-c" config "-e" "${logDir}/error.log" ];
  foregroundProcessExtraArgs = [ "-g" "daemon off;" ];
  credentials = createCredentials {
    groups.${instanceName} = { };
    users.${instanceName} = { group = instanceName; description = "nginx user"; };
  };
  overrides.sysvinit.runlevels = [ 3 4 5 ];
}
