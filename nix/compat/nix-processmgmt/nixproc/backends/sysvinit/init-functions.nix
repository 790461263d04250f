# The original built the LFS init-functions here; nixproc ships its own,
# which its sysvinit scripts source (so a model need not pass initFunctions).
# This gives their path beside nixproc's Nix library, or a clear error.
{ ... }:

let
  dataDir = dirOf (toString <nixproc>);
  candidates = builtins.filter builtins.pathExists
    [ "${dataDir}/share/nixproc/init-functions" "${dataDir}/share/init-functions" ];
in
if candidates != [ ] then builtins.head candidates
else throw "backends/sysvinit/init-functions.nix: nixproc's init-functions are not beside its Nix library (${dataDir}/share); nixproc's sysvinit scripts source their own, so a model need not pass initFunctions"
