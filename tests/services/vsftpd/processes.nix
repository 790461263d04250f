# Two vsftpd FTP servers side by side, for tests/services/vsftpd; each
# serves its own directory `anonRoot` to anonymous users.
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
}
