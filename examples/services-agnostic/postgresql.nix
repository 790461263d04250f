# A PostgreSQL server instance: data in <stateDir>/db/<instanceName> (created
# with initdb when it has no PG_VERSION yet), the Unix domain socket in
# <runtimeDir>/<instanceName>, listening on `port`. It runs as the user and
# group <instanceName>, in the foreground (process managers that prefer
# daemons daemonise it).
#
# initialize runs with the process manager's privileges: as root in a
# privileged deployment, so it hands the directories to the instance's user
# and runs initdb as that user (PostgreSQL refuses to run as root); with
# forceDisableUserChange everything runs as the deploying user, who becomes
# the database superuser.
{ nixproc, postgresql }:

{ port ? 5432
, instanceSuffix ? ""
, instanceName ? "postgresql${instanceSuffix}"
  # Local connections authenticate by the connecting OS user (peer): only
  # the superuser's OS user gets in until roles are created; TCP
  # connections need a password.
, initdbArgs ? [ "--no-locale" "--encoding=UTF8" "--auth-local=peer" "--auth-host=scram-sha-256" ]
}:

let
  inherit (nixproc) createManagedProcess createCredentials lib;
  inherit (nixproc) stateDir runtimeDir forceDisableUserChange libexecDir;
  q = lib.escapeShellArg;
  user = instanceName;
  group = instanceName;
  dataDir = "${stateDir}/db/${instanceName}";
  socketDir = "${runtimeDir}/${instanceName}";
  # nixproc-chainload-user (nixproc's, in libexecDir) becomes the user with
  # its groups and executes the program, without a shell in between.
  asUser = lib.optionalString (!forceDisableUserChange)
    "${q "${libexecDir}/nixproc-chainload-user"} ${q user} ";
in
createManagedProcess {
  inherit instanceName user;
  description = "PostgreSQL server on port ${toString port}";
  initialize = ''
    mkdir -p ${q socketDir} ${q "${stateDir}/db"}
    mkdir -p -m 0700 ${q dataDir}
  '' + lib.optionalString (!forceDisableUserChange) ''
    chown ${q "${user}:${group}"} ${q socketDir} ${q dataDir}
  '' + ''
    if [ ! -e ${q "${dataDir}/PG_VERSION"} ]; then
      ${asUser}${q "${postgresql}/bin/initdb"} -D ${q dataDir} ${lib.escapeShellArgs initdbArgs} >/dev/null
    fi
  '';
  foregroundProcess = "${postgresql}/bin/postgres";
  args = [ "-D" dataDir "-p" port "-k" socketDir ];
  credentials = createCredentials {
    groups.${group} = { };
    users.${user} = { inherit group; homeDir = dataDir; description = "PostgreSQL user"; };
  };
  overrides.sysvinit.runlevels = [ 3 4 5 ];
}
