# A program added to each supervisord after deployment (a file in its
# conf.d, then reread and update over its HTTP port) runs.
{ pkgs, testService, processManagers, profiles }@args:

(import ../lib.nix).suite args {
  exprFile = ./processes.nix;

  tests = { instanceName, instance, stateDir, callingUser ? "root", ... }: ''
    machine.succeed("cp /bin/sleep /tmp/test-${instanceName} && chmod 755 /tmp/test-${instanceName}")
    machine.succeed("printf '[program:test-${instanceName}]\\ncommand=/tmp/test-${instanceName} infinity\\n' > ${stateDir}/${instanceName}/conf.d/test-${instanceName}.conf")
    machine.succeed("supervisorctl --serverurl http://localhost:${toString instance.port} reread")
    machine.succeed("supervisorctl --serverurl http://localhost:${toString instance.port} update")
    machine.wait_until_succeeds("pgrep -u ${callingUser} -f '^/tmp/test-${instanceName} infinity$'")
  '';
}
