# The test driver article's system (processes-advanced.nix there): six
# webapps behind two host-based nginx reverse proxies. nginx forwards to
# webapp1-4, nginx2 to webapp5-6; privileged they listen on ports 80 and 81.
{ stateDir ? "/var"
, runtimeDir ? "${stateDir}/run"
, logDir ? "${stateDir}/log"
, cacheDir ? "${stateDir}/cache"
, libDir ? "${stateDir}/lib"
, tmpDir ? (if stateDir == "/var" then "/tmp" else "${stateDir}/tmp")
, forceDisableUserChange ? false
, processManager ? "sysvinit"
}:

let
  nixproc = import <nixproc> {
    inherit stateDir runtimeDir logDir cacheDir libDir tmpDir forceDisableUserChange processManager;
  };
  constructors = import ../../../examples/services-agnostic/constructors.nix { inherit nixproc; };

  webapp = n: rec {
    port = 4999 + n;
    dnsName = "webapp${toString n}.local";
    pkg = constructors.webapp { inherit port; instanceSuffix = toString n; };
  };
in
rec {
  webapp1 = webapp 1;
  webapp2 = webapp 2;
  webapp3 = webapp 3;
  webapp4 = webapp 4;

  nginx = rec {
    port = if forceDisableUserChange then 8080 else 80;
    webapps = [ webapp1 webapp2 webapp3 webapp4 ];
    pkg = constructors.nginxReverseProxyHostBased { inherit port webapps; } { };
  };

  webapp5 = webapp 5;
  webapp6 = webapp 6;

  nginx2 = rec {
    port = if forceDisableUserChange then 8081 else 81;
    webapps = [ webapp5 webapp6 ];
    pkg = constructors.nginxReverseProxyHostBased {
      inherit port webapps;
      instanceSuffix = "2";
    } { };
  };
}
