# A service directory added to each s6-svscan's scan directory after
# deployment is picked up: its process runs and s6-svstat reports it up.
# (The original compiles an s6-rc database here; s6-rc is not in Debian.)
{ pkgs, testService, processManagers, profiles }@args:

(import ../lib.nix).suite args {
  exprFile = ./processes.nix;

  readiness = { instance, runtimeDir, ... }: ''
    machine.wait_for_file("${runtimeDir}/service${instance.instanceSuffix}/.s6-svscan")
  '';

  tests = { instanceName, instance, runtimeDir, callingUser ? "root", ... }:
    let scan = "${runtimeDir}/service${instance.instanceSuffix}";
    in ''
      machine.succeed("cp /bin/sleep /tmp/test-${instanceName}")
      machine.succeed("mkdir ${scan}/test && printf '#!/bin/sh\\nexec /tmp/test-${instanceName} infinity\\n' > ${scan}/test/run && chmod 755 ${scan}/test/run && chown -R ${callingUser} ${scan}/test")
      machine.succeed("s6-svscanctl -a ${scan}")
      machine.wait_until_succeeds("pgrep -u ${callingUser} -f '^/tmp/test-${instanceName} infinity$'")
      machine.wait_until_succeeds("s6-svstat ${scan}/test | grep -q '^up'")
    '';
}
