# createManagedProcess records a process-manager-agnostic process config as
# data: only the parameters that were passed, dependencies as names. nixproc
# applies the defaults and translates it for the chosen process manager.
{ }:

let
  dependencyName = dependency:
    if builtins.isString dependency then dependency
    else if builtins.isAttrs dependency && dependency ? name then dependency.name
    else if builtins.isAttrs dependency && dependency ? instanceName then dependency.instanceName
    else throw "createManagedProcess: a dependency has no name or instanceName (pass another process config)";

  # Files and other values with a path become that path.
  toValue = value:
    if builtins.isAttrs value && (value ? outPath || value ? __toString) then toString value
    else if builtins.isList value then map toValue value
    else value;
in
{ name ? null, description ? null, initialize ? null, process ? null, args ? null
, daemon ? null, daemonExtraArgs ? null, daemonArgs ? null
, foregroundProcess ? null, foregroundProcessExtraArgs ? null, foregroundProcessArgs ? null
, instanceName ? null, pidFile ? null, path ? null, environment ? null, directory ? null
, umask ? null, nice ? null, user ? null, dependencies ? null, credentials ? null
, overrides ? null, postInstall ? null
}@params:

if postInstall != null && postInstall != "" then
  throw "createManagedProcess ${toString (if name != null then name else instanceName)}: postInstall is not supported (nixproc builds no packages; generate files with writeTextFile and prepare state in initialize)"
else
  builtins.mapAttrs (parameter: value: toValue value)
    (builtins.removeAttrs params [ "dependencies" "postInstall" ])
  // { type = "managed-process"; }
  // (if dependencies == null then { } else { dependencies = map dependencyName dependencies; })
