# nginx as a reverse proxy that routes /<webappName>/... to the webapps it is
# given, without the prefix (http://host:port/webapp1/ reaches webapp1's /),
# and answers other paths with an "unavailable" page. Each webapp instance
# needs a `port`; its `webappName`, else its process name, is the prefix.
# Same parameters as nginxReverseProxyHostBased; see nginx-reverse-proxy.nix.
{ nixproc, nginx }:

import ./nginx-reverse-proxy.nix {
  inherit nixproc nginx;
  routing = "path";
  constructorName = "nginxReverseProxyPathBased";
}
