{ pkgs, testService, processManagers, profiles }@args:

(import ../lib.nix).suite args {
  exprFile = ./processes.nix;

  # Tomcat opens its shutdown port last, once it has started.
  readiness = { instanceName, instance, ... }: ''
    machine.wait_for_open_port(${toString instance.port})
    machine.wait_for_open_port(${toString instance.shutdownPort})
  '';

  tests = { instanceName, instance, stateDir, runtimeDir, forceDisableUserChange, ... }: ''
    # The generated ROOT page is a JSP: Tomcat compiled and ran it.
    machine.succeed("curl -sS --fail http://localhost:${toString instance.port}/ | grep -F 'Served by Tomcat instance ${instanceName} on port ${toString instance.port}'")
    machine.succeed("curl -sS --fail http://localhost:${toString instance.port}/ | grep -F 'Apache Tomcat/10'")
    machine.succeed("test \"$(curl -s -o /dev/null -w '%{http_code}' http://localhost:${toString instance.port}/nowhere)\" = 404")
    # Each instance has its own CATALINA_BASE and access log.
    machine.succeed("grep -q 'GET / ' ${stateDir}/log/${instanceName}/access.log")
    machine.succeed("test -d ${stateDir}/lib/${instanceName}/work/Catalina/localhost/ROOT")
  '' + pkgs.lib.concatMapStrings (webapp: ''
    machine.succeed("curl -sS --fail http://localhost:${toString instance.port}/${webapp}/ | grep -F 'hello from context /${webapp}: 6 * 7 = 42'")
  '') instance.webapps + pkgs.lib.optionalString (!forceDisableUserChange) ''
    # As root, Tomcat runs as the instance's own user.
    machine.succeed("pgrep -u ${instanceName} -f -- '-Dcatalina.base=${stateDir}/lib/${instanceName} '")
  '';
}
