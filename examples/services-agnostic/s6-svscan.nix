# An s6-svscan instance deployed as a process itself (the original's
# services/s6-svscan, reference section 7.2): it supervises the service
# directories in its own scan directory, by default
# <runtimeDir>/service<instanceSuffix> as in the original (nixproc's own s6
# backend uses <runtimeDir>/s6/service, so they do not meet).
#
# `services` are service directories that are part of the model: initialize
# creates <scanDir>/<name>/ with `run` linked to the generated script, and
# s6-svscan starts an s6-supervise for each when it starts. More can be
# added at any time:
#
#   mkdir <scanDir>/hello && cp run <scanDir>/hello/ && s6-svscanctl -a <scanDir>
#   s6-svstat <scanDir>/hello
#
# Service directories nixproc did not create are left alone; one removed
# from `services` is not deleted (remove it and run `s6-svscanctl -an`).
#
# s6-svscan only runs in the foreground; process managers that prefer
# daemons daemonise it (nixproc-daemon). On SIGTERM it brings its services
# down and exits. It runs as the deploying user.
{ nixproc, s6, execline }:

{ instanceSuffix ? ""
, instanceName ? "s6-svscan${instanceSuffix}"
, scanDir ? "${nixproc.runtimeDir}/service${instanceSuffix}"
  # { <name> = "<run script>"; }: the text of each service's executable run
  # script (start it with #!/bin/sh or #!/usr/bin/execlineb -P; it must
  # exec the long-running program in the foreground).
, services ? { }
}:

let
  inherit (nixproc) createManagedProcess writeScript lib;
  q = lib.escapeShellArg;
  checkName = name:
    if builtins.match "[A-Za-z0-9_][A-Za-z0-9_.@+-]*" name != null then name
    else throw "s6-svscan ${instanceName}: invalid service name ${builtins.toJSON name}";
  serviceDir = name: ''
    mkdir -p ${q "${scanDir}/${checkName name}"}
    ln -sfn ${q "${writeScript "${instanceName}-${name}-run" services.${name}}"} ${q "${scanDir}/${name}/run"}
  '';
in
createManagedProcess {
  inherit instanceName;
  description = "s6-svscan ${instanceName} on ${scanDir}";
  initialize = ''
    mkdir -p ${q scanDir}
  '' + lib.concatMapStrings serviceDir (builtins.attrNames services);
  foregroundProcess = "${s6}/bin/s6-svscan";
  args = [ scanDir ];
  # The run scripts find s6's and execline's programs on PATH.
  path = lib.unique [ s6 execline ];
  overrides.sysvinit.runlevels = [ 3 4 5 ];
}
