# createSystemVInitScript: a sysvinit-specific process config (reference
# section 3.1), recorded as data for nixproc's sysvinit backend.
{ }:

let
  dependencyName = dependency:
    if builtins.isString dependency then dependency
    else if dependency ? name then dependency.name
    else if dependency ? instanceName then dependency.instanceName
    else throw "createSystemVInitScript: a dependency has no name or instanceName";
  toValue = value:
    if builtins.isAttrs value && (value ? outPath || value ? __toString) then toString value
    else if builtins.isList value then map toValue value
    else value;
in
{ name ? null, instanceName ? null, description ? null, globalInstructions ? null
, umask ? null, nice ? null, directory ? null, path ? null, environment ? null
, initialize ? null, process ? null, processIsDaemon ? null, enableDaemonOutputLogging ? null
, args ? null, pidFile ? null, user ? null, reloadSignal ? null, instructions ? null
, activities ? null, removeActivities ? null, runlevels ? null, defaultStart ? null
, defaultStop ? null, dependencies ? null, credentials ? null, postInstall ? null
}@params:

if postInstall != null && postInstall != "" then
  throw "createSystemVInitScript: postInstall is not supported"
else
  builtins.mapAttrs (parameter: value: toValue value)
    (builtins.removeAttrs params [ "dependencies" "postInstall" ])
  // { type = "sysvinit-script"; }
  // (if dependencies == null then { } else { dependencies = map dependencyName dependencies; })
