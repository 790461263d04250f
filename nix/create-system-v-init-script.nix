# createSystemVInitScript: a sysvinit-specific process config (the
# `sysvinit-script` type of docs/model-format.md), recorded as data for
# nixproc's sysvinit backend: only the parameters that were passed,
# dependencies as process names, files as their paths.
{ createCredentials ? null }:

let
  util = import ./util.nix;
in
{ name ? null
, instanceName ? null
, description ? null
, globalInstructions ? null
, umask ? null
, nice ? null
, directory ? null
, path ? null
, environment ? null
, initialize ? null
, process ? null
, processIsDaemon ? null
, enableDaemonOutputLogging ? null
, args ? null
, pidFile ? null
, user ? null
, reloadSignal ? null
, instructions ? null
, activities ? null
, removeActivities ? null
, runlevels ? null
, defaultStart ? null
, defaultStop ? null
, dependencies ? null
, credentials ? null
, postInstall ? null
}@params:

let
  where = util.label "createSystemVInitScript" params;
in
util.checkNamed where params
  (util.checkPostInstall where postInstall
    (util.record {
      inherit where;
        params = util.withIds createCredentials params;
      type = "sysvinit-script";
      drop = [ "postInstall" ];
    }))
