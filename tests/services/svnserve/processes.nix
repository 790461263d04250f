# Two Subversion servers side by side, for tests/services/svnserve; each
# serves its own repository `repo`, writable without logging in.
(import ../lib.nix).processes ({ constructors, stateDir, ... }:
let
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
})
