# The services catalogue's suites, composed as the test driver article does:
#
#   nixproc test tests/services/default.nix
#   nixproc test -A nginx-reverse-proxy-hostbased.unprivileged.sysvinit tests/services/default.nix
#   nixproc test --process-managers sysvinit,supervisord,s6,systemd tests/services/default.nix
#
# By default every suite runs with one process manager that prefers
# foreground processes (supervisord) and one that prefers daemons
# (sysvinit), privileged and unprivileged: the article's advice for
# confidence at a low cost, as the backends differ most in that respect.
{ pkgs ? import <nixpkgs> { }
, testService
, processManagers ? [ "supervisord" "sysvinit" ]
, profiles ? [ "privileged" "unprivileged" ]
}:

let
  suite = dir: import dir { inherit pkgs testService processManagers profiles; };
in
{
  nginx-reverse-proxy-hostbased = suite ./nginx-reverse-proxy-hostbased;
  nginx-reverse-proxy-pathbased = suite ./nginx-reverse-proxy-pathbased;
  nginx-static = suite ./nginx-static;
  apache = suite ./apache;
  apache-reverse-proxy = suite ./apache-reverse-proxy;
  tomcat = suite ./tomcat;
  postgresql = suite ./postgresql;
  supervisord = suite ./supervisord;
  s6-svscan = suite ./s6-svscan;
  mariadb = suite ./mariadb;
  influxdb = suite ./influxdb;
  sshd = suite ./sshd;
  svnserve = suite ./svnserve;
  xinetd = suite ./xinetd;
  vsftpd = suite ./vsftpd;
  dbus-daemon = suite ./dbus-daemon;
}
