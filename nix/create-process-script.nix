# createProcessScript: the original framework's name for the Disnix `process`
# constructor; nixproc's createProcessConfig with the original's parameters
# (postInstall only as "", as everywhere in nixproc).
{ createCredentials ? null }:

let
  util = import ./util.nix;
  createProcessConfig = import ./create-process-config.nix { inherit createCredentials; };
in
{ name, process, pidFile ? null, dependencies ? null, credentials ? null, postInstall ? null }@params:

util.checkPostInstall (util.label "createProcessScript" params) postInstall
  (createProcessConfig (builtins.removeAttrs params [ "postInstall" ]))
