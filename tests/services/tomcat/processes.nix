# Two Apache Tomcat instances, each with its own CATALINA_BASE, HTTP port
# and shutdown port. Both serve the generated ROOT page; tomcat2 also
# deploys this directory's `hello` web application (a JSP) at /hello.
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
in
{
  tomcat1 = rec {
    port = 8181;
    shutdownPort = 8015;
    webapps = [ ];
    pkg = constructors.tomcat {
      inherit port shutdownPort;
      instanceSuffix = "1";
    };
  };

  tomcat2 = rec {
    port = 8182;
    shutdownPort = 8016;
    webapps = [ "hello" ];
    pkg = constructors.tomcat {
      inherit port shutdownPort;
      instanceSuffix = "2";
      webapps.hello = ./hello;
    };
  };
}
