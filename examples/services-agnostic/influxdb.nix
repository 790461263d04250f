# An InfluxDB 1.x server instance: the HTTP API on `bind`:`port`, the RPC
# service (backup and restore) on `bind`:`rpcPort`, its metadata, data and
# write-ahead log below <stateDir>/db/<instanceName>/. Its settings are a
# generated influxdb.conf (the host's /etc/influxdb is not read). influxd has
# no daemon mode, so it runs in the foreground (process managers that prefer
# daemons daemonise it), logging to stderr.
#
# It runs as the user and group <instanceName>; with forceDisableUserChange,
# as the deploying user.
{ nixproc, influxdb }:

{ port ? 8086
, rpcPort ? 8088
, instanceSuffix ? ""
, instanceName ? "influxdb${instanceSuffix}"
, bind ? "127.0.0.1"
  # More influxdb.conf (TOML) text, appended: sections not written above.
, extraConfig ? ""
}:

let
  inherit (nixproc) createManagedProcess createCredentials writeTextFile lib;
  inherit (nixproc) stateDir forceDisableUserChange;
  q = lib.escapeShellArg;
  user = instanceName;
  group = instanceName;
  dataRoot = "${stateDir}/db/${instanceName}";
  # A TOML basic string: JSON's string syntax is valid TOML.
  str = builtins.toJSON;

  configFile = writeTextFile {
    name = "${instanceName}.conf";
    text = ''
      reporting-disabled = true
      bind-address = ${str "${bind}:${toString rpcPort}"}

      [meta]
        dir = ${str "${dataRoot}/meta"}

      [data]
        dir = ${str "${dataRoot}/data"}
        wal-dir = ${str "${dataRoot}/wal"}

      [http]
        bind-address = ${str "${bind}:${toString port}"}

      [logging]
        suppress-logo = true
    '' + extraConfig;
  };
in
createManagedProcess {
  inherit instanceName user;
  description = "InfluxDB server on port ${toString port}";
  initialize = ''
    mkdir -p ${q "${stateDir}/db"}
    mkdir -p -m 0700 ${q dataRoot}
  '' + lib.optionalString (!forceDisableUserChange) ''
    chown ${q "${user}:${group}"} ${q dataRoot}
  '';
  foregroundProcess = "${influxdb}/bin/influxd";
  args = [ "-config" configFile ];
  credentials = createCredentials {
    groups.${group} = { };
    users.${user} = { inherit group; homeDir = dataRoot; description = "InfluxDB user"; };
  };
  overrides.sysvinit.runlevels = [ 3 4 5 ];
}
