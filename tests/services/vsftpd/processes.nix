# Two vsftpd FTP servers side by side, for tests/services/vsftpd; each
# serves its own directory `anonRoot` to anonymous users.
(import ../lib.nix).processes ({ constructors, stateDir, ... }:
let
  instance = n: rec {
    port = 2120 + n;
    instanceSuffix = toString n;
    anonRoot = "${stateDir}/ftp/vsftpd${instanceSuffix}";
    pkg = constructors.vsftpd {
      inherit port instanceSuffix;
      pasvMinPort = 30000 + 10 * n;
      pasvMaxPort = 30004 + 10 * n;
    };
  };
in
{
  vsftpd1 = instance 1;
  vsftpd2 = instance 2;
})
