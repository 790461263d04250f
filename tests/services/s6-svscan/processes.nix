# Two s6-svscans deployed as processes, each scanning its own directory
# (<runtimeDir>/service<suffix>).
(import ../lib.nix).processes ({ constructors, ... }:
{
  s6-svscan-primary = {
    instanceSuffix = "-primary";
    pkg = constructors.s6-svscan { instanceSuffix = "-primary"; };
  };
  s6-svscan-secondary = {
    instanceSuffix = "-secondary";
    pkg = constructors.s6-svscan { instanceSuffix = "-secondary"; };
  };
})
