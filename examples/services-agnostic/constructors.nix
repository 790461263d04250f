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
#
# apacheStatic and apacheReverseProxy are Apache httpd instances (apache.nix):
# a static web root, and a reverse proxy in front of webapps like the nginx
# ones. apache2 is the httpd executable and apacheModulesDir the directory
# of its mod_*.so (Debian's by default). tomcat is an Apache Tomcat
# installation (CATALINA_HOME), each instance with its own CATALINA_BASE
# (tomcat.nix). nginxStatic is nginx serving a static web root
# (nginx-static.nix).
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
, apache2 ? "/usr/sbin/apache2"
, apacheModulesDir ? "/usr/lib/apache2/modules"
, tomcat ? "/usr/share/tomcat10"
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
  apacheStatic = import ./apache-static.nix { inherit nixproc apache2 apacheModulesDir; };
  apacheReverseProxy = import ./apache-reverse-proxy.nix { inherit nixproc apache2 apacheModulesDir; };
  tomcat = import ./tomcat.nix { inherit nixproc tomcat; };
  nginxStatic = import ./nginx-static.nix { inherit nixproc nginx; };
}
