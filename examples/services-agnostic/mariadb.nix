# A MariaDB server instance: data in <stateDir>/db/<instanceName> (created
# with mariadb-install-db when it has no `mysql` system database yet), the
# Unix domain socket and mariadbd's own PID file in
# <runtimeDir>/<instanceName>/, temporary files in <tmpDir>/<instanceName>,
# listening on `bind`:`port`. Its settings are a generated option file,
# given with --defaults-file so the host's /etc/mysql is not read. mariadbd
# has no daemon mode of its own, so it runs in the foreground (process
# managers that prefer daemons daemonise it), with its error log on stderr.
#
# Privileged, it runs as the user and group <instanceName>: initialize (run
# as root) lets mariadb-install-db hand the data directory to that user. With
# forceDisableUserChange everything runs as the deploying user (mariadbd
# refuses to run as root). Accounts: MariaDB's root and the OS user who
# installed the data directory log in through the socket by their OS
# identity (unix_socket), without a password.
{ nixproc, mariadb }:

{ port ? 3306
, instanceSuffix ? ""
, instanceName ? "mariadb${instanceSuffix}"
, bind ? "127.0.0.1"
  # More [mysqld] option lines, appended (later lines win).
, extraConfig ? ""
}:

let
  inherit (nixproc) createManagedProcess createCredentials writeTextFile lib;
  inherit (nixproc) stateDir runtimeDir tmpDir forceDisableUserChange;
  q = lib.escapeShellArg;
  user = instanceName;
  group = instanceName;
  dataDir = "${stateDir}/db/${instanceName}";
  socketDir = "${runtimeDir}/${instanceName}";
  # Its own temporary directory: mariadbd deletes the #sql files it finds in
  # its tmpdir when it starts, another instance's too.
  instanceTmpDir = "${tmpDir}/${instanceName}";

  # Option file values may not span lines.
  value = v: builtins.replaceStrings [ "\n" ] [ " " ] (toString v);

  configFile = writeTextFile {
    name = "${instanceName}.cnf";
    text = ''
      [mysqld]
      datadir=${value dataDir}
      socket=${value "${socketDir}/mariadbd.sock"}
      pid-file=${value "${socketDir}/mariadbd.pid"}
      port=${toString port}
      bind-address=${value bind}
      tmpdir=${value instanceTmpDir}
      skip-name-resolve
    '' + extraConfig;
  };
in
createManagedProcess {
  inherit instanceName user;
  description = "MariaDB server on port ${toString port}";
  # mariadb-install-db fills a new directory that replaces the data
  # directory only when it is complete, so an interrupted attempt is retried.
  initialize = ''
    mkdir -p ${q socketDir} ${q "${stateDir}/db"}
    mkdir -p -m 0700 ${q instanceTmpDir}
  '' + lib.optionalString (!forceDisableUserChange) ''
    chown ${q "${user}:${group}"} ${q socketDir} ${q instanceTmpDir}
  '' + ''
    if [ ! -d ${q "${dataDir}/mysql"} ]; then
      rm -rf ${q "${dataDir}.install"}
      mkdir -m 0700 ${q "${dataDir}.install"}
      ${q "${mariadb}/bin/mariadb-install-db"} --defaults-file=${q "${configFile}"} \
        --datadir=${q "${dataDir}.install"} \
        ${lib.optionalString (!forceDisableUserChange) "--user=${q user} --group=${q group} "}--skip-test-db >/dev/null &&
        { if [ -d ${q dataDir} ]; then rmdir ${q dataDir}; fi; } &&
        mv -T ${q "${dataDir}.install"} ${q dataDir}
    fi
  '';
  foregroundProcess = "${mariadb}/sbin/mariadbd";
  args = [ "--defaults-file=${configFile}" ];
  credentials = createCredentials {
    groups.${group} = { };
    users.${user} = { inherit group; homeDir = dataDir; description = "MariaDB user"; };
  };
  overrides.sysvinit.runlevels = [ 3 4 5 ];
}
