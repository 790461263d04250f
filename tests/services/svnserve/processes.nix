# Two Subversion servers side by side, for tests/services/svnserve; each
# serves its own repository `repo`, writable without logging in.
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

  instance = n: rec {
    port = 3690 + n;
    instanceSuffix = toString n;
    repository = "${stateDir}/svn/svnserve${instanceSuffix}/repo";
    pkg = constructors.svnserve { inherit port instanceSuffix; anonymousAccess = "write"; };
  };
in
{
  svnserve1 = instance 1;
  svnserve2 = instance 2;
}
