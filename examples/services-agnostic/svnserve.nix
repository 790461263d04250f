# A Subversion server (svnserve) instance serving the repositories below
# <stateDir>/svn/<instanceName> on `listenHost`:`port`, as
# svn://<host>:<port>/<repository>. initialize creates the `repositories`
# that do not exist yet (svnadmin create). Access is set by a generated
# svnserve.conf given with --config-file, which takes the place of the
# repositories' own conf/svnserve.conf. Both modes are described: in the
# foreground (`--foreground`), or daemonised by svnserve itself, its PID file
# in tmpDir (written as the instance's user, which may not write to
# runtimeDir) and its log in <logDir>/<instanceName>/.
#
# It runs as the user and group <instanceName>, who own the repositories;
# with forceDisableUserChange, as the deploying user.
{ nixproc, subversion }:

{ port ? 3690
, instanceSuffix ? ""
, instanceName ? "svnserve${instanceSuffix}"
, listenHost ? "127.0.0.1"
, repositories ? [ "repo" ]
  # What clients that do not log in may do: "none", "read" or "write".
, anonymousAccess ? "read"
  # More lines for the [general] section, appended.
, extraConfig ? ""
}:

let
  inherit (nixproc) createManagedProcess createCredentials writeTextFile lib;
  inherit (nixproc) stateDir logDir tmpDir forceDisableUserChange;
  q = lib.escapeShellArg;
  user = instanceName;
  group = instanceName;
  svnRoot = "${stateDir}/svn/${instanceName}";
  instanceLogDir = "${logDir}/${instanceName}";
  pidFile = "${tmpDir}/${instanceName}.pid";

  configFile = writeTextFile {
    name = "${instanceName}.conf";
    text = ''
      [general]
      anon-access = ${anonymousAccess}
      auth-access = write
    '' + extraConfig;
  };
in
createManagedProcess {
  inherit instanceName user pidFile;
  description = "Subversion server on port ${toString port}";
  initialize = ''
    mkdir -p ${q svnRoot} ${q instanceLogDir} ${q tmpDir}
  '' + lib.optionalString (!forceDisableUserChange) ''
    chown ${q "${user}:${group}"} ${q svnRoot} ${q instanceLogDir}
  '' + lib.concatMapStrings (repository: ''
    if [ ! -e ${q "${svnRoot}/${repository}/format"} ]; then
      ${q "${subversion}/bin/svnadmin"} create ${q "${svnRoot}/${repository}"}
  '' + lib.optionalString (!forceDisableUserChange) ''
      chown -R ${q "${user}:${group}"} ${q "${svnRoot}/${repository}"}
  '' + ''
    fi
  '') repositories;
  process = "${subversion}/bin/svnserve";
  args = [ "--daemon" "--listen-port" port "--listen-host" listenHost "--root" svnRoot "--config-file" configFile ];
  foregroundProcessExtraArgs = [ "--foreground" ];
  daemonExtraArgs = [ "--pid-file" pidFile "--log-file" "${instanceLogDir}/svnserve.log" ];
  credentials = createCredentials {
    groups.${group} = { };
    users.${user} = { inherit group; homeDir = svnRoot; description = "Subversion server user"; };
  };
  overrides.sysvinit.runlevels = [ 3 4 5 ];
}
