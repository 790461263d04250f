{ pkgs, testService, processManagers, profiles }@args:

(import ../lib.nix).suite args {
  exprFile = ./processes.nix;

  readiness = { instanceName, instance, ... }: ''
    machine.wait_for_open_port(${toString instance.port})
    machine.wait_until_succeeds("mariadb -S ${instance.socket} -e 'select 1'")
  '';

  # Root logs in through the socket by its OS identity (unix_socket); each
  # instance keeps its own table, and answers on its own port.
  tests = { instanceName, instance, ... }: ''
    machine.succeed(
        "mariadb -S ${instance.socket} -e \"create database if not exists nixproc; "
        + "create or replace table nixproc.t (v varchar(64)); "
        + "insert into nixproc.t values ('${instanceName}')\""
    )
    machine.succeed(
        "test \"$(mariadb -S ${instance.socket} -N -B -e 'select v from nixproc.t')\" = ${instanceName}"
    )
    machine.succeed(
        "test \"$(mariadb -S ${instance.socket} -N -B -e 'select @@port')\" = ${toString instance.port}"
    )
  '';
}
