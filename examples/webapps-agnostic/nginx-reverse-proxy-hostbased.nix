# nginx as a reverse proxy that routes requests by their Host header to the
# webapps it is given (reference section 7.2): each webapp instance needs a
# `port` and a `dnsName`. See nginx-reverse-proxy.nix.
{ nixproc, nginx }:

import ./nginx-reverse-proxy.nix {
  inherit nixproc nginx;
  routing = "host";
  constructorName = "nginxReverseProxyHostBased";
}
