# Five webapps behind two path-based nginx reverse proxies: nginx routes
# /webapp1/ to /webapp3/ to webapp1-3, nginx2 /webapp4/ and /webapp5/ to
# webapp4-5; privileged they listen on ports 80 and 81.
(import ../lib.nix).processes ({ constructors, forceDisableUserChange, ... }:
let
  webapp = n: rec {
    port = 4999 + n;
    path = "/webapp${toString n}/";
    pkg = constructors.webapp { inherit port; instanceSuffix = toString n; };
  };
in
rec {
  webapp1 = webapp 1;
  webapp2 = webapp 2;
  webapp3 = webapp 3;

  nginx = rec {
    port = if forceDisableUserChange then 8080 else 80;
    webapps = [ webapp1 webapp2 webapp3 ];
    pkg = constructors.nginxReverseProxyPathBased { inherit port webapps; } { };
  };

  webapp4 = webapp 4;
  webapp5 = webapp 5;

  nginx2 = rec {
    port = if forceDisableUserChange then 8081 else 81;
    webapps = [ webapp4 webapp5 ];
    pkg = constructors.nginxReverseProxyPathBased {
      inherit port webapps;
      instanceSuffix = "2";
    } { };
  };
})
