# What the services catalogue's suites share. The article's own suite,
# nginx-reverse-proxy-hostbased, stays spelled out as the article writes it;
# the others are built from these:
#
#   processes.nix:  (import ../lib.nix).processes ({ constructors, ... }: { ...instances... })
#   default.nix:    { pkgs, testService, processManagers, profiles }@args:
#                   (import ../lib.nix).suite args { exprFile = ./processes.nix; tests = ...; }
rec {
  # A processes model taking the parameters every model of the catalogue
  # takes; `instances` gets them with `nixproc` (the framework's functions
  # for these state dirs), `constructors` (examples/services-agnostic) and
  # `pkgs`, and gives the model's instances. callingUser is the user nixproc
  # deploys as (null: root).
  processes = instances:
    { pkgs ? import <nixpkgs> { }
    , stateDir ? "/var"
    , runtimeDir ? "${stateDir}/run"
    , logDir ? "${stateDir}/log"
    , cacheDir ? "${stateDir}/cache"
    , libDir ? "${stateDir}/lib"
    , tmpDir ? (if stateDir == "/var" then "/tmp" else "${stateDir}/tmp")
    , forceDisableUserChange ? false
    , processManager ? "sysvinit"
    , callingUser ? null
    }:
    let
      nixproc = import <nixproc> {
        inherit stateDir runtimeDir logDir cacheDir libDir tmpDir forceDisableUserChange processManager;
      };
      constructors = import ../../examples/services-agnostic/constructors.nix { inherit nixproc; };
    in
    instances {
      inherit pkgs nixproc constructors stateDir runtimeDir logDir cacheDir libDir tmpDir
        forceDisableUserChange processManager callingUser;
    };

  # Ready once the instance listens on its port.
  waitForPort = { instance, ... }: ''
    machine.wait_for_open_port(${toString instance.port})
  '';

  # testService with the composition's process managers and profiles, and
  # waitForPort as the readiness check unless the suite has its own.
  suite = { testService, processManagers, profiles, ... }: attrs:
    testService ({ readiness = waitForPort; inherit processManagers profiles; } // attrs);
}
