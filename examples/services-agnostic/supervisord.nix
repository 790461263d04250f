# A supervisord instance deployed as a process itself (the original's
# services/supervisord, reference section 7.2): a process manager that
# nixproc deploys like any other service, next to the others and next to
# the supervisord that `-P supervisord` runs for the state dir.
#
# Everything it writes is named after the instance, so several instances
# (and nixproc's own supervisord, which uses <libDir>/supervisord,
# <runtimeDir>/supervisord.{sock,pid} and <logDir>/supervisord.log) run side
# by side:
#
#   <stateDir>/<instanceName>/supervisord.conf  link to the generated config
#   <stateDir>/<instanceName>/conf.d/*.conf     included programs (includeDir)
#   <runtimeDir>/<instanceName>/supervisord.sock  control socket (mode 0700)
#   <runtimeDir>/<instanceName>/supervisord.pid   PID file
#   <logDir>/<instanceName>/                    its log and its programs' logs
#
# Control it with
#   supervisorctl -c <stateDir>/<instanceName>/supervisord.conf status
# or, with inetHTTPServerPort, `supervisorctl -s http://127.0.0.1:<port>`.
#
# Both modes are described and the process manager picks: in the foreground
# (`-n`, under supervising managers), or daemonised by supervisord itself,
# which writes the PID file (sysvinit, the built-in daemon manager).
# It runs as the deploying user; its programs may set their own `user`.
{ nixproc, supervisor }:

{ instanceSuffix ? ""
, instanceName ? "supervisord${instanceSuffix}"
  # The programs it runs: { <name> = { command = "..."; <option> = <value>; }; },
  # rendered as [program:<name>] sections (supervisord's program options;
  # values are strings, integers or booleans, `%` is escaped).
, programs ? { }
  # A directory whose *.conf files supervisord includes, for programs that
  # are added later (extendable-supervisord.nix); created by initialize.
, includeDir ? null
  # Also serve supervisorctl over HTTP on 127.0.0.1:<port> (no
  # authentication: anyone on the machine may control it).
, inetHTTPServerPort ? null
  # More supervisord.conf lines, appended verbatim.
, extraConfig ? ""
}:

let
  inherit (nixproc) createManagedProcess writeTextFile lib;
  inherit (nixproc) stateDir runtimeDir logDir;
  q = lib.escapeShellArg;
  confDir = "${stateDir}/${instanceName}";
  instanceRuntimeDir = "${runtimeDir}/${instanceName}";
  instanceLogDir = "${logDir}/${instanceName}";
  socket = "${instanceRuntimeDir}/supervisord.sock";
  pidFile = "${instanceRuntimeDir}/supervisord.pid";

  # A supervisord.conf value: supervisord expands %(name)s in most values,
  # so `%` is doubled; a newline would end the value.
  value = v:
    let text = if builtins.isBool v then (if v then "true" else "false") else toString v;
    in
    if builtins.length (builtins.split "\n" text) > 1
    then throw "supervisord ${instanceName}: a config value contains a newline: ${builtins.toJSON text}"
    else builtins.replaceStrings [ "%" ] [ "%%" ] text;

  program = name: options:
    if !(options ? command) then throw "supervisord ${instanceName}: program ${name} has no command"
    else ''

      [program:${name}]
    '' + lib.concatStrings (lib.mapAttrsToList (key: v: "${key} = ${value v}\n") options);

  configFile = writeTextFile {
    name = "${instanceName}.conf";
    text = ''
      [unix_http_server]
      file = ${value socket}
      chmod = 0700
    '' + lib.optionalString (inetHTTPServerPort != null) ''

      [inet_http_server]
      port = 127.0.0.1:${toString inetHTTPServerPort}
    '' + ''

      [supervisord]
      pidfile = ${value pidFile}
      logfile = ${value "${instanceLogDir}/supervisord.log"}
      childlogdir = ${value instanceLogDir}
      identifier = ${value instanceName}

      [rpcinterface:supervisor]
      supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

      [supervisorctl]
      serverurl = unix://${value socket}
    '' + lib.optionalString (includeDir != null) ''

      [include]
      files = ${value includeDir}/*.conf
    '' + lib.concatStrings (lib.mapAttrsToList program programs)
    + lib.optionalString (extraConfig != "") ("\n" + extraConfig);
  };
in
createManagedProcess {
  inherit instanceName pidFile;
  description = "Supervisord ${instanceName}";
  initialize = ''
    mkdir -p ${q confDir} ${q instanceRuntimeDir} ${q instanceLogDir}
    ln -sfn ${q "${configFile}"} ${q "${confDir}/supervisord.conf"}
  '' + lib.optionalString (includeDir != null) ''
    mkdir -p ${q includeDir}
  '';
  process = "${supervisor}/bin/supervisord";
  args = [ "-c" configFile ];
  foregroundProcessExtraArgs = [ "-n" ];
  overrides.sysvinit.runlevels = [ 3 4 5 ];
}
