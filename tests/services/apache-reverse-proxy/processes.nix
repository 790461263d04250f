# Two Apache httpd reverse proxies in front of two example webapps: apache1
# routes by Host header (webapp1.local, webapp2.local), apache2 by path
# (/webapp1/, /webapp2/). Each proxy lists its `webapps` and `routing`.
(import ../lib.nix).processes ({ constructors, ... }:
let
  webappInstance = n: rec {
    port = 5010 + n;
    dnsName = "webapp${toString n}.local";
    pkg = constructors.webapp { inherit port; instanceSuffix = toString n; };
  };

  proxyInstance = n: routing: rec {
    port = 8092 + n;
    webapps = [ webapp1 webapp2 ];
    inherit routing;
    pkg = constructors.apacheReverseProxy {
      inherit port webapps routing;
      instanceSuffix = toString n;
    };
  };

  webapp1 = webappInstance 1;
  webapp2 = webappInstance 2;
in
{
  inherit webapp1 webapp2;
  apache1 = proxyInstance 1 "host";
  apache2 = proxyInstance 2 "path";
})
