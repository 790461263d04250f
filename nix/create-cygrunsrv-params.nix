# createCygrunsrvParams: the original framework's cygrunsrv constructor (its
# name and parameters), giving nixproc's native `cygrunsrv-service` config:
# the original's `path` (the executable) is nixproc's `process`, its
# `environmentPath` is `path` and its `type` is `serviceType`. A password
# cannot be stored in a generated file, so it is refused.
{ }:

let
  util = import ./util.nix;
  renamed = { path = "process"; environmentPath = "path"; type = "serviceType"; };
in
{ name
, displayName ? null
, path
, args ? null
, environment ? null
, type ? null
, user ? null
, password ? null
, stdin ? null
, stdout ? null
, stderr ? null
, terminateSignal ? null
, terminateOnShutdown ? null
, dependencies ? null
, environmentPath ? null
, postInstall ? null
}@params:

let
  where = util.label "createCygrunsrvParams" params;
  given = builtins.removeAttrs params
    ([ "password" ] ++ builtins.filter (key: params.${key} == null) (builtins.attrNames params));
  rename = key: { name = renamed.${key} or key; value = given.${key}; };
in
if password != null then
  throw "${where}: password is not supported: nixproc would have to write it into the service's params file"
else
  util.checkPostInstall where postInstall
    (util.record {
      inherit where;
      params = builtins.listToAttrs (map rename (builtins.attrNames given));
      type = "cygrunsrv-service";
      drop = [ "postInstall" ];
    })
