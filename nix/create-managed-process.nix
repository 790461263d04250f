# createManagedProcess: a process-manager-agnostic process config, recorded
# as data. Only the parameters that were passed are kept (nixproc applies the
# defaults), dependencies become process names and files become their paths.
# nixproc translates the result for the chosen process manager. The
# parameters are those of the original framework (docs/model-format.md); any
# other parameter is an error.
{ createCredentials ? null }:

let
  util = import ./util.nix;

  # Overrides are merged into the generated config as data (a JSON merge
  # patch), so an override cannot be a function as in the original.
  checkOverrides = where: overrides: result:
    if overrides == null then result
    else if !builtins.isAttrs overrides then
      throw "${where}: overrides must be an attribute set { <process manager> = { ... }; }, got ${util.describe overrides}"
    else
      let
        functions = builtins.filter (manager: builtins.isFunction overrides.${manager})
          (builtins.attrNames overrides);
      in
      if functions != [ ] then
        throw "${where}: overrides.${builtins.head functions} is a function; nixproc merges overrides as data: give an attribute set (a null value removes a key)"
      else result;
in
{ name ? null
, description ? null
, initialize ? null
, process ? null
, args ? null
, daemon ? null
, daemonExtraArgs ? null
, daemonArgs ? null
, foregroundProcess ? null
, foregroundProcessExtraArgs ? null
, foregroundProcessArgs ? null
, instanceName ? null
, pidFile ? null
, path ? null
, environment ? null
, directory ? null
, umask ? null
, nice ? null
, user ? null
, dependencies ? null
, credentials ? null
, overrides ? null
, postInstall ? null
}@params:

let
  where = util.label "createManagedProcess" params;
in
util.checkNamed where params
  (util.checkPostInstall where postInstall
    (checkOverrides where overrides
      (util.record {
        inherit where;
        params = util.withIds createCredentials params;
        type = "managed-process";
        drop = [ "postInstall" ];
      })))
