{ pkgs, testService, processManagers, profiles }@args:

(import ../lib.nix).suite args {
  exprFile = ./processes.nix;

  # The server serves the instance's own repository (its UUID), takes a
  # commit and gives the file back, in a checkout too.
  tests = { instanceName, instance, ... }:
    let
      url = "svn://127.0.0.1:${toString instance.port}/repo";
      svn = "svn --non-interactive";
      wc = "/tmp/${instanceName}-wc";
    in
    ''
      machine.succeed(
          "test \"$(${svn} info --show-item repos-uuid ${url})\" = \"$(svnlook uuid ${instance.repository})\""
      )
      machine.succeed(
          "echo ${instanceName} > /tmp/${instanceName}-hello && "
          + "svnmucc --non-interactive -m 'add hello' put /tmp/${instanceName}-hello ${url}/hello"
      )
      machine.succeed("test \"$(${svn} cat ${url}/hello)\" = ${instanceName}")
      machine.succeed(
          "rm -rf ${wc} && ${svn} checkout -q ${url} ${wc} && test \"$(cat ${wc}/hello)\" = ${instanceName}"
      )
    '';
}
