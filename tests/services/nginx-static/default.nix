{ pkgs, testService, processManagers, profiles }@args:

(import ../lib.nix).suite args {
  exprFile = ./processes.nix;

  tests = { instanceName, instance, stateDir, runtimeDir, forceDisableUserChange, ... }: ''
    machine.succeed("curl -sS --fail http://localhost:${toString instance.port}/ | grep -F \"${instance.expect}\"")
    machine.succeed("test \"$(curl -s -o /dev/null -w '%{http_code}' http://localhost:${toString instance.port}/nowhere.html)\" = 404")
    # Each instance keeps its own PID file and logs.
    machine.succeed("kill -0 $(cat ${runtimeDir}/${instanceName}.pid)")
    machine.succeed("grep -q 'GET / ' ${stateDir}/${instanceName}/logs/access.log")
  '' + pkgs.lib.optionalString (instance ? file) ''
    machine.succeed("curl -sS --fail -o /dev/null -w '%{content_type}' http://localhost:${toString instance.port}/${instance.file.path} | grep -F '${instance.file.type}'")
  '' + pkgs.lib.optionalString (!forceDisableUserChange) ''
    # As root, nginx's workers run as the instance's own user.
    machine.succeed("test \"$(ps -o user= --ppid $(cat ${runtimeDir}/${instanceName}.pid) | sort -u)\" = ${instanceName}")
  '';
}
