# Software Nix builds for the test of issue 12: a service whose program
# stdenv.mkDerivation builds from a small source (through the <nixpkgs>
# compatibility set), and nginx (the host's, as pkgs.nginx) serving a path
# literal ("${./site}") and a hand-written derivation's output.
# `failing = true` adds an instance whose derivation fails; `marker` changes
# the service's build.
{ pkgs ? import <nixpkgs> { }
, stateDir, runtimeDir, cacheDir, forceDisableUserChange ? false, processManager
, webPort, sitePort, webapp, failing ? false, marker ? "one", salt ? "", ... }:

let
  nixproc = import <nixproc> { inherit stateDir runtimeDir forceDisableUserChange processManager; };
  system = builtins.currentSystem;
  # A hand-written derivation gets no PATH from Nix; these use the host's tools.
  PATH = "/usr/bin:/bin";
  # `salt` makes this run's builds its own, so a test in a shared store can
  # tell that nothing but its generations kept them.
  SALT = salt;

  # The program, as a package: bin/greeter runs the example webapp.
  greeter = pkgs.stdenv.mkDerivation {
    pname = "greeter";
    version = marker;
    src = ./greeter-src;
    inherit SALT;
    makeFlags = [ "WEBAPP=${webapp}" "MARKER=${marker}" ];
    installPhase = ''
      mkdir -p $out/bin
      cp greeter $out/bin/greeter
    '';
  };

  # A page nginx serves from a derivation's output, next to the path literal.
  builtPage = derivation {
    name = "built-page";
    inherit system PATH SALT;
    builder = "/bin/sh";
    args = [ "-c" "mkdir -p $out && echo 'built by nix' > $out/built.html" ];
  };

  broken = derivation {
    name = "broken-software";
    inherit system PATH SALT;
    builder = "/bin/sh";
    args = [ "-c" "echo 'compiling broken-software'; echo 'this build fails on purpose' >&2; exit 3" ];
  };

  nginxDir = "${cacheDir}/site";
  nginxConf = nixproc.writeTextFile {
    name = "nginx.conf";
    text = ''
      pid ${runtimeDir}/site.pid;
      error_log ${nginxDir}/error.log;
      events { worker_connections 64; }
      http {
        access_log off;
        client_body_temp_path ${nginxDir}/body;
        proxy_temp_path ${nginxDir}/proxy;
        fastcgi_temp_path ${nginxDir}/fastcgi;
        uwsgi_temp_path ${nginxDir}/uwsgi;
        scgi_temp_path ${nginxDir}/scgi;
        server {
          listen 127.0.0.1:${toString sitePort};
          location / { root ${./site}; }
          location /built.html { root ${builtPage}; }
        }
      }
    '';
  };
in
{
  web.pkg = nixproc.createManagedProcess {
    instanceName = "web";
    foregroundProcess = "${greeter}/bin/greeter";
    environment.PORT = toString webPort;
  };

  site.pkg = nixproc.createManagedProcess {
    instanceName = "site";
    foregroundProcess = "${pkgs.nginx}/bin/nginx";
    foregroundProcessArgs = [ "-g" "daemon off;" "-p" nginxDir "-c" nginxConf "-e" "${nginxDir}/error.log" ];
    initialize = "mkdir -p ${nginxDir}";
  };
} // (if failing then {
  bad.pkg = nixproc.createManagedProcess {
    instanceName = "bad";
    foregroundProcess = "${broken}/bin/broken";
  };
} else { })
