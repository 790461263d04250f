# Two PostgreSQL servers side by side, each with its own data directory,
# socket directory (<runtimeDir>/<instance>) and port.
(import ../lib.nix).processes ({ constructors, ... }:
let
  instance = n: rec {
    port = 5431 + n;
    pkg = constructors.postgresql { inherit port; instanceSuffix = toString n; };
  };
in
{
  postgresql1 = instance 1;
  postgresql2 = instance 2;
})
