# createLaunchdDaemon: a launchd job written directly (the `launchd-daemon`
# type, docs/process-managers.md), recorded as data for nixproc's launchd
# backend: the fields of a supervised process plus `plist`, further property
# list keys (KeepAlive, RunAtLoad, Label, ...).
{ createCredentials ? null }:

let
  util = import ./util.nix;
in
{ name ? null
, instanceName ? null
, process
, args ? null
, processIsDaemon ? null
, pidFile ? null
, initialize ? null
, environment ? null
, path ? null
, directory ? null
, umask ? null
, nice ? null
, user ? null
, plist ? null
, dependencies ? null
, credentials ? null
, postInstall ? null
}@params:

let
  where = util.label "createLaunchdDaemon" params;
in
util.checkNamed where params
  (util.checkPostInstall where postInstall
    (util.record {
      inherit where;
        params = util.withIds createCredentials params;
      type = "launchd-daemon";
      drop = [ "postInstall" ];
    }))
