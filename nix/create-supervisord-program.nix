# createSupervisordProgram: the original framework's supervisord constructor
# (its name and parameters), giving nixproc's native `supervisord-program`
# config. `command` is split into process and args at spaces (it may not
# quote: give such arguments with createManagedProcess), `useProxy` means the
# command is a daemon that writes pidFile, and every other attribute is a
# [program:x] key (startsecs, autorestart, ...), as in the original.
{ createCredentials ? null }:

let
  util = import ./util.nix;
  # Program keys nixproc has its own fields for.
  fieldFor = { directory = "directory"; umask = "umask"; user = "user"; nice = "nice"; };
in
{ name
, useProxy ? false
, command
, pidFile ? null
, path ? null
, environment ? null
, dependencies ? null
, credentials ? null
, postInstall ? null
, ...
}@params:

let
  where = util.label "createSupervisordProgram" params;
  own = [ "name" "useProxy" "command" "pidFile" "path" "environment" "dependencies" "credentials" "postInstall" ];
  extra = builtins.removeAttrs params own;
  programKeys = builtins.removeAttrs extra (builtins.attrNames fieldFor);
  fields = builtins.listToAttrs (map (key: { name = fieldFor.${key}; value = extra.${key}; })
    (builtins.filter (key: extra ? ${key}) (builtins.attrNames fieldFor)));
  words = builtins.filter (word: builtins.isString word && word != "") (builtins.split "[ \t]+" command);
  checked =
    if !builtins.isString command then
      throw "${where}: command must be a string, got ${util.describe command}"
    else if builtins.match "[^'\"\\\\]*" command == null then
      throw "${where}: command ${builtins.toJSON command} quotes or escapes; nixproc splits command at spaces: give the process and its args with createManagedProcess"
    else if words == [ ] then throw "${where}: command is empty"
    else if useProxy && pidFile == null then
      throw "${where}: useProxy needs pidFile, the PID file the daemon writes"
    else true;
in
assert checked;
util.checkPostInstall where postInstall
  (util.record {
    inherit where;
    params = util.withIds createCredentials
      ({ inherit name; process = builtins.head words; args = builtins.tail words; processIsDaemon = useProxy; program = programKeys; }
        // fields
        // builtins.intersectAttrs { pidFile = 0; path = 0; environment = 0; dependencies = 0; credentials = 0; }
             (builtins.removeAttrs params (builtins.filter (key: params.${key} == null) (builtins.attrNames params))));
    type = "supervisord-program";
  })
