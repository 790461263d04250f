# Two OpenSSH servers side by side, for tests/services/sshd: each has its
# own host key and takes logins by the keys in its own authorized_keys.
(import ../lib.nix).processes ({ constructors, stateDir, ... }:
let
  instance = n: rec {
    port = 2221 + n;
    instanceSuffix = toString n;
    hostKey = "${stateDir}/sshd${instanceSuffix}/ssh_host_ed25519_key";
    authorizedKeys = "${stateDir}/sshd${instanceSuffix}/authorized_keys";
    pkg = constructors.sshd { inherit port instanceSuffix; authorizedKeysFile = authorizedKeys; };
  };
in
{
  sshd1 = instance 1;
  sshd2 = instance 2;
})
