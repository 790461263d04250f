# A Redis server instance: listens on `bind`:`port`, keeps its data in
# <stateDir>/db/<instanceName>, runs as the user and group <instanceName>.
# Its settings are a generated config file; both modes are described, so the
# process manager picks: in the foreground (`daemonize no`, output to the
# process manager), or daemonised by redis itself with `--daemonize yes`,
# its PID file in tmpDir (written as the instance's user, which may not
# write to runtimeDir) and its log in <logDir>/<instanceName>/.
{ nixproc, redis }:

{ port ? 6379
, instanceSuffix ? ""
, instanceName ? "redis${instanceSuffix}"
, bind ? "127.0.0.1"
  # More redis.conf lines, appended (later lines win).
, extraConfig ? ""
}:

let
  inherit (nixproc) createManagedProcess createCredentials writeTextFile lib;
  inherit (nixproc) stateDir logDir tmpDir forceDisableUserChange;
  q = lib.escapeShellArg;
  user = instanceName;
  group = instanceName;
  dataDir = "${stateDir}/db/${instanceName}";
  instanceLogDir = "${logDir}/${instanceName}";
  pidFile = "${tmpDir}/${instanceName}.pid";
  # A redis.conf string argument: double-quoted, with \ and " escaped.
  quote = value: "\"${builtins.replaceStrings [ "\\" "\"" "\n" ] [ "\\\\" "\\\"" "\\n" ] (toString value)}\"";

  configFile = writeTextFile {
    name = "${instanceName}.conf";
    text = ''
      port ${toString port}
      bind ${bind}
      dir ${quote dataDir}
      daemonize no
      logfile ""
    '' + extraConfig;
  };
in
createManagedProcess {
  inherit instanceName user pidFile;
  description = "Redis server on port ${toString port}";
  initialize = ''
    mkdir -p -m 0700 ${q dataDir}
    mkdir -p ${q instanceLogDir}
  '' + lib.optionalString (!forceDisableUserChange) ''
    chown ${q "${user}:${group}"} ${q dataDir} ${q instanceLogDir}
  '';
  process = "${redis}/bin/redis-server";
  args = [ configFile ];
  daemonExtraArgs = [ "--daemonize" "yes" "--pidfile" pidFile "--logfile" "${instanceLogDir}/redis.log" ];
  credentials = createCredentials {
    groups.${group} = { };
    users.${user} = { inherit group; homeDir = dataDir; description = "Redis user"; };
  };
  overrides.sysvinit.runlevels = [ 3 4 5 ];
}
