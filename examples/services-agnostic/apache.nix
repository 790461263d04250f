# An Apache httpd instance (Debian's apache2), the part apacheStatic and
# apacheReverseProxy share: a generated httpd.conf that loads only the
# modules it names (from the package's modules directory; no Debian
# /etc/apache2, no envvars) and keeps everything an instance writes in its
# own files, so several instances run side by side and an unprivileged user
# can run them:
#
#   <stateDir>/<instanceName>/          ServerRoot
#   <logDir>/<instanceName>/            error.log, access.log
#   <runtimeDir>/<instanceName>/        DefaultRuntimeDir (mutexes, sockets)
#   <runtimeDir>/<instanceName>.pid     PidFile
#
# Apache starts as the deploying user and, when that is root, switches its
# children to the instance's user itself (the User/Group lines; nobody with
# forceDisableUserChange, as for nginx's workers); hence no `user` here and the
# PID file in runtimeDir, written by the parent. Both modes are described:
# `-DFOREGROUND` for the process managers that supervise, and apache's own
# daemon form (`-k start`, which writes the PID file) for sysvinit and disnix.
{ nixproc, apache2, apacheModulesDir }:

{ instanceName
, port
, description
  # Modules besides the base ones, by name ("proxy" loads
  # proxy_module from mod_proxy.so).
, modules ? [ ]
  # httpd.conf lines after the common ones.
, config
, dependencies ? [ ]
}:

let
  inherit (nixproc) createManagedProcess createCredentials writeTextFile lib;
  inherit (nixproc) stateDir runtimeDir logDir forceDisableUserChange;
  q = lib.escapeShellArg;
  # An httpd.conf string argument: double-quoted, with \ and " escaped.
  quote = value: "\"${builtins.replaceStrings [ "\\" "\"" ] [ "\\\\" "\\\"" ] (toString value)}\"";

  serverRoot = "${stateDir}/${instanceName}";
  instanceLogDir = "${logDir}/${instanceName}";
  instanceRuntimeDir = "${runtimeDir}/${instanceName}";
  pidFile = "${runtimeDir}/${instanceName}.pid";

  # mpm_event: processes with threads; authz_core: Require. Debian's
  # apache2 has unixd (User/Group) and log_config built in.
  baseModules = [ "mpm_event" "authz_core" "mime" "dir" ];
  loadModule = module: "LoadModule ${module}_module ${quote "${apacheModulesDir}/mod_${module}.so"}\n";

  configFile = writeTextFile {
    name = "${instanceName}-httpd.conf";
    text = lib.concatMapStrings loadModule (lib.unique (baseModules ++ modules)) + ''

      ServerRoot ${quote serverRoot}
      ServerName localhost
      Listen ${toString port}
      PidFile ${quote pidFile}
      DefaultRuntimeDir ${quote instanceRuntimeDir}
      ErrorLog ${quote "${instanceLogDir}/error.log"}
      LogFormat "%h %l %u %t \"%r\" %>s %b" common
      CustomLog ${quote "${instanceLogDir}/access.log"} common
      TypesConfig /etc/mime.types
    '' + (if forceDisableUserChange then ''
      # Only root's apache changes users: as root, its children would keep
      # root (and complain about the default User #-1); like nginx's
      # workers, they run as nobody.
      User #65534
      Group #65534
    '' else ''
      User ${instanceName}
      Group ${instanceName}
    '') + ''

      # Nothing of the file system is served unless a section grants it.
      <Directory />
        AllowOverride None
        Require all denied
      </Directory>

    '' + config;
  };
in
createManagedProcess {
  inherit instanceName description pidFile dependencies;
  initialize = ''
    mkdir -p ${q serverRoot} ${q instanceLogDir} ${q instanceRuntimeDir}
  '' + lib.optionalString (!forceDisableUserChange) ''
    chown ${q "${instanceName}:${instanceName}"} ${q instanceRuntimeDir}
  '';
  process = apache2;
  args = [ "-d" serverRoot "-f" configFile ];
  foregroundProcessExtraArgs = [ "-DFOREGROUND" ];
  daemonExtraArgs = [ "-k" "start" ];
  credentials = createCredentials {
    groups.${instanceName} = { };
    users.${instanceName} = { group = instanceName; description = "Apache httpd user"; };
  };
  overrides.sysvinit.runlevels = [ 3 4 5 ];
}
