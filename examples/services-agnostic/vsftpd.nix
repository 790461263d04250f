# A vsftpd FTP server instance for anonymous downloads: listens on
# `listenAddress`:`port`, serves <stateDir>/ftp/<instanceName> read-only
# (put files there), with passive-mode data connections on ports
# `pasvMinPort`-`pasvMaxPort` (give every instance its own range). Its
# settings are a generated vsftpd.conf, its log is
# <logDir>/<instanceName>/vsftpd.log. vsftpd writes no PID file when it
# backgrounds itself, so it runs in the foreground (process managers that
# prefer daemons daemonise it).
#
# Privileged, vsftpd runs as root (the process manager's user), chroots
# anonymous sessions into the served directory and runs them as the user
# <instanceName>, which also does vsftpd's unprivileged work. With
# forceDisableUserChange it runs as the deploying user
# (run_as_launching_user=YES: no chroot, no switching, no local logins).
{ nixproc, vsftpd }:

{ port ? 21
, instanceSuffix ? ""
, instanceName ? "vsftpd${instanceSuffix}"
, listenAddress ? "127.0.0.1"
, pasvMinPort ? 30000
, pasvMaxPort ? 30009
  # More vsftpd.conf lines, appended (later lines win).
, extraConfig ? ""
}:

let
  inherit (nixproc) createManagedProcess createCredentials writeTextFile lib;
  inherit (nixproc) stateDir runtimeDir logDir forceDisableUserChange;
  q = lib.escapeShellArg;
  user = instanceName;
  group = instanceName;
  anonRoot = "${stateDir}/ftp/${instanceName}";
  # An empty directory, not writable by the anonymous user: vsftpd's chroot
  # jail for the processes that need no files.
  emptyDir = "${runtimeDir}/${instanceName}/empty";
  instanceLogDir = "${logDir}/${instanceName}";

  # vsftpd.conf values run to the end of the line.
  value = v:
    let s = toString v; in
    if builtins.replaceStrings [ "\n" ] [ "" ] s != s
    then throw "vsftpd ${instanceName}: ${s} cannot be written in vsftpd.conf"
    else s;

  configFile = writeTextFile {
    name = "${instanceName}.conf";
    text = ''
      listen=YES
      listen_ipv6=NO
      listen_address=${value listenAddress}
      listen_port=${toString port}
      background=NO
      anonymous_enable=YES
      anon_root=${value anonRoot}
      no_anon_password=YES
      local_enable=NO
      write_enable=NO
      pasv_enable=YES
      pasv_min_port=${toString pasvMinPort}
      pasv_max_port=${toString pasvMaxPort}
      secure_chroot_dir=${value emptyDir}
      xferlog_enable=YES
      vsftpd_log_file=${value "${instanceLogDir}/vsftpd.log"}
    '' + (if forceDisableUserChange then ''
      run_as_launching_user=YES
    '' else ''
      ftp_username=${value user}
      nopriv_user=${value user}
    '') + extraConfig;
  };
in
createManagedProcess {
  inherit instanceName;
  description = "vsftpd FTP server on port ${toString port}";
  initialize = ''
    mkdir -p ${q anonRoot} ${q instanceLogDir}
    mkdir -p -m 0555 ${q emptyDir}
  '';
  foregroundProcess = "${vsftpd}/sbin/vsftpd";
  args = [ configFile ];
  credentials = createCredentials {
    groups.${group} = { };
    users.${user} = { inherit group; homeDir = anonRoot; description = "vsftpd anonymous user"; };
  };
  overrides.sysvinit.runlevels = [ 3 4 5 ];
}
