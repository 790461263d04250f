# createLongRunService / createOneShotService: an s6-rc service definition
# written directly (the `s6-rc-service` type, docs/process-managers.md),
# recorded as data for nixproc's s6-rc backend: run (and finish) for a
# longrun, up and down (execline text) for a oneshot, plus the optional
# notificationFd, timeoutKill, downSignal, autoGenerateLogService, ...
{ serviceType, createCredentials ? null }:

let
  util = import ./util.nix;
in
{ name ? null
, instanceName ? null
, dependencies ? null
, credentials ? null
, postInstall ? null
, ...
}@params:

let
  # run/finish/up/down may be files, as in the original (util.fileText).
  files = builtins.mapAttrs (field: util.fileText)
    (builtins.intersectAttrs { run = 0; finish = 0; up = 0; down = 0; } params);
  where = util.label (if serviceType == "longrun" then "createLongRunService" else "createOneShotService") params;
in
util.checkNamed where params
  (util.checkPostInstall where postInstall
    (util.record {
      inherit where;
      params = util.withIds createCredentials (params // { inherit serviceType; } // files);
      type = "s6-rc-service";
      drop = [ "postInstall" ];
    }))
