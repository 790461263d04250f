# Each of the original framework's process-manager-specific constructors,
# through its import path and with its parameters, for the process manager
# chosen (-P). Plain credentials get their ids from ./ids.nix.
{ pkgs ? import <nixpkgs> { inherit system; }
, system ? builtins.currentSystem
, stateDir ? "/var"
, runtimeDir ? "${stateDir}/run"
, logDir ? "${stateDir}/log"
, tmpDir ? (if stateDir == "/var" then "/tmp" else "${stateDir}/tmp")
, forceDisableUserChange ? false
, processManager
, webapp ? "${builtins.getEnv "NIXPROC_LIBEXEC_DIR"}/webapp"
, port ? 5003
}:

let
  ids = (import ./ids.nix).ids;
  backends = <nix-processmgmt/nixproc/backends>;
  createCredentials = import <nix-processmgmt/nixproc/create-credentials> {
    inherit (pkgs) stdenv lib;
    inherit ids forceDisableUserChange;
  };
  generatorArgs = {
    inherit (pkgs) stdenv lib writeTextFile;
    inherit createCredentials runtimeDir logDir tmpDir stateDir forceDisableUserChange;
    basePackages = [ ];
  };
  credentials = user: {
    groups.webapps = { };
    users.${user} = { group = "webapps"; description = "Web application"; };
  };
  startScript = pkgs.writeTextFile {
    name = "start-webapp";
    executable = true;
    text = ''
      #!/bin/sh
      PORT=${toString port} PID_FILE=${tmpDir}/webproc.pid exec ${webapp} -D
    '';
  };
  s6rc = import (backends + "/s6-rc") (generatorArgs // { execline = null; });

  configs = {
    sysvinit.websysv = import (backends + "/sysvinit/create-sysvinit-script.nix") (generatorArgs // {
      daemon = null;
      initFunctions = import (backends + "/sysvinit/init-functions.nix") { inherit (pkgs) stdenv; basePackages = [ ]; };
    }) {
      name = "websysv";
      process = webapp;
      args = [ "-D" ];
      environment = { PORT = port; PID_FILE = "${tmpDir}/websysv.pid"; };
      pidFile = "${tmpDir}/websysv.pid";
      runlevels = [ 3 4 5 ];
      postInstall = ''
        mkdir -p $out/etc/dysnomia/containers
        printf 'type=websysv\n' > $out/etc/dysnomia/containers/websysv
      '';
      user = "websysv";
      credentials = credentials "websysv";
    };
    systemd.websd = import (backends + "/systemd/create-systemd-service.nix") generatorArgs {
      name = "websd";
      environment.PORT = port;
      Unit.Description = "Web application";
      Service.ExecStart = webapp;
    };
    supervisord.websv = import (backends + "/supervisord/create-supervisord-program.nix") (generatorArgs // { supervisor = null; }) {
      name = "websv";
      command = "${webapp}";
      environment.PORT = port;
      startsecs = 2;
      stopwaitsecs = 6;
      user = "websv";
      credentials = credentials "websv";
    };
    launchd.weblaunchd = import (backends + "/launchd/create-launchd-daemon.nix") generatorArgs {
      name = "weblaunchd";
      Program = webapp;
      EnvironmentVariables.PORT = toString port;
      WorkingDirectory = "/tmp";
      KeepAlive = true;
      RunAtLoad = true;
    };
    bsdrc.web-bsd = import (backends + "/bsdrc/create-bsdrc-script.nix") generatorArgs {
      name = "web-bsd";
      command = webapp;
      commandArgs = [ "-D" ];
      environment = { PORT = port; PID_FILE = "${tmpDir}/web-bsd.pid"; };
      pidFile = "${tmpDir}/web-bsd.pid";
    };
    cygrunsrv.webcyg = import (backends + "/cygrunsrv/create-cygrunsrv-params.nix") generatorArgs {
      name = "webcyg";
      path = webapp;
      type = "manual";
      environment.PORT = port;
      environmentPath = [ "/usr" ];
    };
    disnix.webproc = import (backends + "/disnix/create-process-script.nix") generatorArgs {
      name = "webproc";
      process = startScript;
      pidFile = "${tmpDir}/webproc.pid";
      postInstall = "";
    };
    docker.webdock = import (backends + "/docker/create-docker-container.nix") generatorArgs {
      name = "webdock";
      dockerImage = "ignored-image.tar.gz";
      dockerImageTag = "webdock:latest";
      cmd = [ webapp ];
      environment.PORT = port;
      dockerCreateParameters = { memory = "64m"; };
    };
    s6-rc = rec {
      web-s6 = s6rc.createLongRunService {
        name = "web-s6";
        run = pkgs.writeTextFile {
          name = "web-s6-run";
          executable = true;
          text = ''
            #!/usr/bin/execlineb -P
            export PORT ${toString port}
            ${webapp}
          '';
        };
      };
      hello-once = s6rc.createOneShotService {
        name = "hello-once";
        up = ./oneshot-up;
      };
      web-bundle = s6rc.createServiceBundle {
        name = "web-bundle";
        contents = [ web-s6 hello-once ];
      };
    };
  };
in
builtins.mapAttrs (name: config: { pkg = config; }) configs.${processManager}
