{ pkgs, testService, processManagers, profiles }@args:

(import ../lib.nix).suite args {
  exprFile = ./processes.nix;

  # An anonymous client lists the instance's own directory and downloads a
  # file from it (passive mode, as curl does by default).
  tests = { instanceName, instance, ... }:
    let
      url = "ftp://127.0.0.1:${toString instance.port}";
    in
    ''
      machine.succeed("echo ${instanceName} > ${instance.anonRoot}/hello-${instanceName}.txt")
      machine.succeed("curl -sS --fail ${url}/ | grep -q 'hello-${instanceName}\\.txt'")
      machine.succeed("test \"$(curl -sS --fail ${url}/hello-${instanceName}.txt)\" = ${instanceName}")
    '';
}
