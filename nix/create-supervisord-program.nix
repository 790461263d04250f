# createSupervisordProgram: the original framework's supervisord constructor
# (its name and parameters), giving nixproc's native `supervisord-program`
# config. `command` is split into process and args as supervisord splits it
# (Python's shlex: quotes and backslashes, no shell), `useProxy` means the
# command is a daemon that writes pidFile, and every other attribute is a
# [program:x] key (startsecs, autorestart, ...), as in the original.
{ createCredentials ? null }:

let
  util = import ./util.nix;
  # Program keys nixproc has its own fields for.
  fieldFor = { directory = "directory"; umask = "umask"; user = "user"; nice = "nice"; };

  # shlex.split in POSIX mode, which supervisord applies to `command`: blanks
  # separate words; '...' is literal; in "..." a backslash escapes only " and
  # \; outside quotes it escapes any character. null when a quote or an
  # escape is left open. Words keep the command's string context.
  splitCommand = command:
    let
      chars = builtins.genList (i: builtins.substring i 1 command) (builtins.stringLength command);
      add = state: c: state // { word = state.word + c; started = true; };
      step = state: c:
        if state.mode == "escape" then add (state // { mode = "plain"; }) c
        else if state.mode == "single" then
          (if c == "'" then state // { mode = "plain"; } else add state c)
        else if state.mode == "double" then
          (if c == "\"" then state // { mode = "plain"; }
          else if c == "\\" then state // { mode = "double-escape"; }
          else add state c)
        else if state.mode == "double-escape" then
          add (state // { mode = "double"; }) (if c == "\"" || c == "\\" then c else "\\" + c)
        else if c == " " || c == "\t" || c == "\n" || c == "\r" then
          (if state.started then state // { words = state.words ++ [ state.word ]; word = ""; started = false; }
          else state)
        else if c == "'" then state // { mode = "single"; started = true; }
        else if c == "\"" then state // { mode = "double"; started = true; }
        else if c == "\\" then state // { mode = "escape"; }
        else add state c;
      end = builtins.foldl' step { words = [ ]; word = ""; started = false; mode = "plain"; } chars;
    in
    if end.mode != "plain" then null
    else end.words ++ (if end.started then [ end.word ] else [ ]);
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
  words = splitCommand command;
  checked =
    if !builtins.isString command then
      throw "${where}: command must be a string, got ${util.describe command}"
    else if words == null then
      throw "${where}: command ${builtins.toJSON command} leaves a quote or a backslash open"
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
