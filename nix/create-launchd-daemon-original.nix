# The original framework's createLaunchdDaemon parameters: plist keys at the
# top level (Program, ProgramArguments, EnvironmentVariables,
# WorkingDirectory, UserName, Umask, Nice, KeepAlive, ...). The keys nixproc
# has fields for become them; the rest go into `plist`. Gives nixproc's
# `launchd-daemon` config (create-launchd-daemon.nix).
{ createCredentials ? null }:

let
  util = import ./util.nix;
  createLaunchdDaemon = import ./create-launchd-daemon.nix { inherit createCredentials; };
  fieldFor = {
    EnvironmentVariables = "environment"; WorkingDirectory = "directory"; UserName = "user";
    Umask = "umask"; Nice = "nice";
  };
  own = [ "name" "instanceName" "path" "dependencies" "credentials" "postInstall" ];
in
{ name, path ? null, dependencies ? null, credentials ? null, postInstall ? null, ... }@params:

let
  where = util.label "createLaunchdDaemon" params;
  keys = builtins.removeAttrs params own;
  programArguments = keys.ProgramArguments or null;
  process =
    if keys ? Program then keys.Program
    else if builtins.isList programArguments && programArguments != [ ] then builtins.head programArguments
    else throw "${where}: no Program or ProgramArguments: nixproc needs the program to run";
  args =
    if builtins.isList programArguments && programArguments != [ ] then builtins.tail programArguments else [ ];
  fields = builtins.listToAttrs (map (key: { name = fieldFor.${key}; value = keys.${key}; })
    (builtins.filter (key: keys ? ${key}) (builtins.attrNames fieldFor)));
  plist = builtins.removeAttrs keys ([ "Program" "ProgramArguments" ] ++ builtins.attrNames fieldFor);
in
createLaunchdDaemon (builtins.removeAttrs params (builtins.attrNames keys) // fields
  // { inherit process args; } // (if plist == { } then { } else { inherit plist; }))
