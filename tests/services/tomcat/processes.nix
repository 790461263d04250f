# Two Apache Tomcat instances, each with its own CATALINA_BASE, HTTP port
# and shutdown port. Both serve the generated ROOT page; tomcat2 also
# deploys this directory's `hello` web application (a JSP) at /hello, and
# the same packed as a WAR (built by Nix) at /hello-war. `webapps` lists
# the context names a test can ask.
(import ../lib.nix).processes ({ constructors, pkgs, ... }:
let
  # ZIP has no timestamps before 1980 (the store's files are from 1970).
  helloWar = pkgs.runCommand "hello.war" { } ''
    cp -R ${./hello} hello
    chmod -R u+w hello
    find hello -exec touch -d 1980-01-01T00:00:00Z {} +
    cd hello && python3 -m zipfile -c "$out" index.jsp WEB-INF
  '';
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
    webapps = [ "hello" "hello-war" ];
    pkg = constructors.tomcat {
      inherit port shutdownPort;
      instanceSuffix = "2";
      webapps = {
        hello = ./hello;
        hello-war = helloWar;
      };
    };
  };
})
