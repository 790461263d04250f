# Two supervisords deployed as processes, each extendable through its
# conf.d and controlled over its own HTTP port.
(import ../lib.nix).processes ({ constructors, ... }:
{
  supervisord-primary = rec {
    port = 9001;
    pkg = constructors.extendableSupervisord { instanceSuffix = "-primary"; inetHTTPServerPort = port; };
  };
  supervisord-secondary = rec {
    port = 9002;
    pkg = constructors.extendableSupervisord { instanceSuffix = "-secondary"; inetHTTPServerPort = port; };
  };
})
