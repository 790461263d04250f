# Apache httpd as a reverse proxy (mod_proxy_http) in front of the webapps it
# is given, as nginxReverseProxyHostBased and nginxReverseProxyPathBased do
# (../webapps-agnostic/nginx-config.nix); see apache.nix for the instance's
# files and modes.
#
# routing = "host": one virtual host per webapp, matched by the Host header
# against the webapp's `dnsName`; requests for other hosts get a 503
# "unavailable" page. routing = "path": /<webappName>/... goes to each
# webapp without the prefix (/<webappName> redirects there), other paths
# get the same page; a webapp's `webappName`, else its process name, is the
# prefix. Each webapp instance needs a `port`; the webapps are the proxy's
# dependencies, so they start first.
{ nixproc, apache2, apacheModulesDir }:

{ port ? 80
, webapps ? [ ]
, routing ? "host"
, instanceSuffix ? ""
, instanceName ? "apache${instanceSuffix}"
  # More httpd.conf lines, appended.
, extraConfig ? ""
}:

let
  inherit (nixproc) lib;
  quote = value: "\"${builtins.replaceStrings [ "\\" "\"" ] [ "\\\\" "\\\"" ] (toString value)}\"";
  # 127.0.0.1, not localhost: the webapp listens on IPv4 only.
  upstream = webapp: "http://127.0.0.1:${toString webapp.port}/";

  # mod_alias's Redirect with a non-redirect status answers with that status.
  unavailable = ''
    ErrorDocument 503 "This web application is unavailable at the moment!"
    Redirect 503 /
  '';

  checkName = what: name:
    if builtins.isString name && builtins.match "[A-Za-z0-9._~-]+" name != null then name
    else throw "apacheReverseProxy ${instanceName}: a webapp needs ${what}, got ${builtins.toJSON name}";
  webappName = webapp: checkName "a webappName (or a pkg with a name) usable as a path prefix"
    (webapp.webappName or (webapp.pkg.name or (webapp.pkg.instanceName or null)));

  # The first virtual host of a port is the default for unknown hosts.
  hostConfig = ''
    <VirtualHost *:${toString port}>
      ServerName unavailable.invalid
    ${unavailable}</VirtualHost>
  '' + lib.concatMapStrings (webapp: ''

    <VirtualHost *:${toString port}>
      ServerName ${checkName "a dnsName" (webapp.dnsName or null)}
      ProxyPass / ${upstream webapp}
      ProxyPassReverse / ${upstream webapp}
    </VirtualHost>
  '') webapps;

  # mod_proxy maps ProxyPass paths before mod_alias looks at the request, so
  # the catch-all Redirect gets only the paths no webapp has.
  pathConfig = lib.concatMapStrings (webapp:
    let name = webappName webapp; in ''
      ProxyPass /${name}/ ${upstream webapp}
      ProxyPassReverse /${name}/ ${upstream webapp}
      RedirectMatch 301 ${quote "^/${name}$"} /${name}/
    '') webapps + unavailable;

  config =
    if routing == "host" then hostConfig
    else if routing == "path" then pathConfig
    else throw "apacheReverseProxy ${instanceName}: unknown routing ${builtins.toJSON routing}: use \"host\" or \"path\"";
in
import ./apache.nix { inherit nixproc apache2 apacheModulesDir; } {
  inherit instanceName port;
  description = "Apache httpd reverse proxy on port ${toString port}";
  modules = [ "alias" "proxy" "proxy_http" ];
  config = config + extraConfig;
  dependencies = map (webapp: webapp.pkg) webapps;
}
