{ pkgs, testService, processManagers, profiles }@args:

(import ../lib.nix).suite args {
  exprFile = ./processes.nix;

  tests = { instanceName, instance, stateDir, runtimeDir, forceDisableUserChange, ... }: ''
    machine.succeed("curl -sS --fail http://localhost:${toString instance.port}/ | grep -F \"${instance.expect}\"")
    machine.succeed("curl -sS --fail http://localhost:${toString instance.port}/index.html | grep -F \"${instance.expect}\"")
    # Nothing outside the web root is served.
    machine.fail("curl -sS --fail --path-as-is http://localhost:${toString instance.port}/../../../etc/passwd")
    # Each instance keeps its own PID file and logs.
    machine.succeed("kill -0 $(cat ${runtimeDir}/${instanceName}.pid)")
    machine.succeed("grep -q 'GET /index.html' ${stateDir}/log/${instanceName}/access.log")
  '' + pkgs.lib.optionalString (!forceDisableUserChange) ''
    # As root, apache's children run as the instance's own user.
    machine.succeed("test \"$(ps -o user= --ppid $(cat ${runtimeDir}/${instanceName}.pid) | sort -u)\" = ${instanceName}")
  '';
}
