# createProcessConfig: a config for nixproc's built-in daemon manager (the
# `process` type of docs/model-format.md, `-P disnix`), with Dysnomia's
# process semantics: `process` daemonises itself and writes `pidFile`;
# `program` is the executable whose PID that file holds. Recorded as data:
# only the parameters that were passed, dependencies as process names.
{ createCredentials ? null }:

let
  util = import ./util.nix;
in
{ name ? null
, instanceName ? null
, process
, pidFile ? null
, program ? null
, dependencies ? null
, credentials ? null
}@params:

let
  where = util.label "createProcessConfig" params;
in
util.checkNamed where params
  (util.record {
    inherit where;
        params = util.withIds createCredentials params;
    type = "process";
  })
