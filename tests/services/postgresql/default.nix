# Each PostgreSQL server answers on its own socket and port, and keeps what
# is written to it. initdb makes the server's user the superuser: the
# instance's own user, or the deploying one when user changes are disabled.
{ pkgs, testService, processManagers, profiles }@args:

(import ../lib.nix).suite args {
  exprFile = ./processes.nix;

  readiness = { instanceName, instance, runtimeDir, ... }: ''
    machine.wait_for_open_port(${toString instance.port})
    machine.wait_for_file("${runtimeDir}/${instanceName}/.s.PGSQL.${toString instance.port}")
  '';

  tests = { instanceName, instance, runtimeDir, callingUser ? instanceName, ... }:
    let psql = sql: "su -s /bin/sh ${callingUser} -c \\\"psql -X -h ${runtimeDir}/${instanceName} -p ${toString instance.port} -d postgres -tAc '${sql}'\\\"";
    in ''
      machine.succeed("${psql "show port"} | grep -x ${toString instance.port}")
      machine.succeed("${psql "create table t as select current_user as v"}")
      machine.succeed("${psql "select v from t"} | grep -x ${callingUser}")
    '';
}
