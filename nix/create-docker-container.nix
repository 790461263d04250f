# createDockerContainer: the original framework's container constructor (its
# name and parameters), giving nixproc's native `docker-container` config:
# `cmd` (a list, or a string split at spaces) becomes process and args.
# nixproc builds each container's root file system from the host's files, so
# the image parameters (dockerImage, dockerImageTag) and the store ones
# (useHostNixStore, storePaths) are accepted and ignored; the network is
# always the host's, so useHostNetwork = false is refused.
{ createCredentials ? null, stateDir, libexecDir }:

let
  util = import ./util.nix;
  ignored = [ "dockerImage" "dockerImageTag" "useHostNixStore" "storePaths" "useHostNetwork" "cmd" "postInstall" "credentials" ];
in
{ name
, dockerImage ? null
, dockerImageTag ? null
, dockerCreateParameters ? null
, useHostNixStore ? true
, useHostNetwork ? true
, mapStateDirVolumes ? [ stateDir ]
, cmd
, environment ? null
, storePaths ? null
, dependencies ? null
, credentials ? null
, postInstall ? null
}@params:

let
  where = util.label "createDockerContainer" params;
  words =
    if builtins.isList cmd then cmd
    else if builtins.isString cmd then builtins.filter (word: builtins.isString word && word != "") (builtins.split "[ \t]+" cmd)
    else throw "${where}: cmd must be a list of words, got ${util.describe cmd}";
  given = builtins.removeAttrs params
    (ignored ++ builtins.filter (key: params.${key} == null) (builtins.attrNames params));
  containerCredentials =
    if credentials == null then { }
    else (util.withIds createCredentials { inherit credentials; }).credentials;
in
if !useHostNetwork then
  throw "${where}: useHostNetwork = false is not supported: nixproc's containers always use the host network"
else if words == [ ] then throw "${where}: cmd is empty"
else
  util.checkPostInstall where postInstall
    (util.record {
      inherit where;
      params = given // {
        inherit mapStateDirVolumes containerCredentials;
        process = builtins.head words;
        args = builtins.tail words;
        hostPaths = [ "/usr" ] ++ (if libexecDir == "" || builtins.substring 0 5 libexecDir == "/usr/" then [ ] else [ libexecDir ]);
      };
      type = "docker-container";
    })
