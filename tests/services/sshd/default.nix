{ pkgs, testService, processManagers, profiles }@args:

(import ../lib.nix).suite args {
  exprFile = ./processes.nix;

  # The server shows the instance's own host key, and a client key put in
  # the instance's authorized_keys logs in (as the user sshd runs as when
  # unprivileged, as root otherwise), checking the host key.
  tests = { instanceName, instance, forceDisableUserChange, ... }:
    let
      port = toString instance.port;
      user = if forceDisableUserChange then "unprivileged" else "root";
      key = "/tmp/${instanceName}-client";
    in
    ''
      machine.succeed(
          "test \"$(ssh-keyscan -t ed25519 -p ${port} 127.0.0.1 2>/dev/null | cut -d ' ' -f 3)\" "
          + "= \"$(cut -d ' ' -f 2 ${instance.hostKey}.pub)\""
      )
      machine.succeed("rm -f ${key} ${key}.pub && ssh-keygen -q -t ed25519 -N ''' -f ${key}")
      machine.succeed("cp ${key}.pub ${instance.authorizedKeys} && chmod 644 ${instance.authorizedKeys}")
      machine.succeed(
          "echo \"[127.0.0.1]:${port} $(cut -d ' ' -f 1,2 ${instance.hostKey}.pub)\" > ${key}.known_hosts"
      )
      machine.succeed(
          "test \"$(ssh -i ${key} -p ${port} -l ${user} -o BatchMode=yes -o StrictHostKeyChecking=yes "
          + "-o UserKnownHostsFile=${key}.known_hosts 127.0.0.1 id -un)\" = ${user}"
      )
    '';
}
