# The constructors of the services example: functions of the instance
# parameters that return process-manager-agnostic process configs
# (createManagedProcess), for services from the host's (Debian's) packages.
#
# `nixproc` is the library applied to the common parameters (stateDir,
# runtimeDir, logDir, cacheDir, libDir, tmpDir, forceDisableUserChange,
# processManager, ids): the constructors take them from there, as the
# webapps-agnostic constructors do. The other parameters are where the
# services are installed, as package prefixes (<prefix>/bin/<program>), and
# what the webapp constructors take.
#
# Every constructor takes instanceSuffix/instanceName, and keeps its state,
# sockets, logs and PID file in files named after the instance, so several
# instances of one service run side by side (on different ports).
#
# supervisord and s6-svscan are process managers deployed as processes
# themselves (supervisord.nix, s6-svscan.nix); extendableSupervisord is a
# supervisord whose programs can be added after deployment, through a conf.d
# directory in its state (extendable-supervisord.nix).
{ nixproc
, postgresql ? "/usr/lib/postgresql/15"
, redis ? "/usr"
, supervisor ? "/usr"
, s6 ? "/usr"
, execline ? "/usr"
, mariadb ? "/usr"
, openssh ? "/usr"
, subversion ? "/usr"
, xinetd ? "/usr"
, vsftpd ? "/usr"
, influxdb ? "/usr"
, dbus ? "/usr"
, nginx ? "/usr/sbin/nginx"
, webappMode ? null
}:

let
  webapps = import ../webapps-agnostic/constructors.nix { inherit nixproc nginx webappMode; };
  supervisord = import ./supervisord.nix { inherit nixproc supervisor; };
in
{
  # The example webapp and the nginx reverse proxies (host- and path-based).
  inherit (webapps) webapp nginxReverseProxyHostBased nginxReverseProxyPathBased;

  postgresql = import ./postgresql.nix { inherit nixproc postgresql; };
  redis = import ./redis.nix { inherit nixproc redis; };
  mariadb = import ./mariadb.nix { inherit nixproc mariadb; };
  sshd = import ./sshd.nix { inherit nixproc openssh; };
  svnserve = import ./svnserve.nix { inherit nixproc subversion; };
  xinetd = import ./xinetd.nix { inherit nixproc xinetd; };
  vsftpd = import ./vsftpd.nix { inherit nixproc vsftpd; };
  influxdb = import ./influxdb.nix { inherit nixproc influxdb; };
  dbus-daemon = import ./dbus-daemon.nix { inherit nixproc dbus; };
  inherit supervisord;
  extendableSupervisord = import ./extendable-supervisord.nix { inherit nixproc supervisord; };
  s6-svscan = import ./s6-svscan.nix { inherit nixproc s6 execline; };
}
