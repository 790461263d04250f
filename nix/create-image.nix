# createMultiProcessImage, createMutableMultiProcessImage, createNixImage:
# the original framework's image functions, with its parameters. Each gives
# a description that `nixproc image FILE` turns into an image archive
# (docs/images.md); nothing is built during evaluation.
kind:
let
  util = import ./util.nix;
  function = {
    multi = "createMultiProcessImage";
    mutable = "createMutableMultiProcessImage";
    nix = "createNixImage";
  }.${kind};
  # dockerTools.buildImage arguments the original passes through, which
  # nixproc images do not run or set.
  refused = [ "runAsRoot" "extraCommands" "config" "fromImage" "fromImageName" "fromImageTag" "diskSize" "buildVMMemorySize" "copyToRoot" "keepContentsDirlinks" "created" ];
  known = [ "name" "tag" "exprFile" "processManager" "interactive" "manpages" "forceDisableUserChange" "stateDir" "runtimeDir" "extraParams" "idResourcesFile" "idsFile" "bootstrap" "channelURL" "contents" ];
in
{ name
, tag ? "latest"
, exprFile ? null
, processManager ? null
, interactive ? true
, manpages ? false
, forceDisableUserChange ? false
, stateDir ? "/var"
, runtimeDir ? "${stateDir}/run"
, extraParams ? { }
, idResourcesFile ? null
, idsFile ? null
, bootstrap ? true
, contents ? [ ]
, ...
}@input:

let
  where = "${function} \"${toString name}\"";
  unknown = builtins.filter (key: !(builtins.elem key known)) (builtins.attrNames input);
  checked =
    if unknown != [ ] then
      let key = builtins.head unknown; in
      throw "${where}: ${key} is not supported${if builtins.elem key refused then ": nixproc images run no build-time shell code and set their own config (use contents, or the model's initialize)" else ""}"
    else if kind != "nix" && exprFile == null then throw "${where}: exprFile, the processes model, is required (nixproc builds no template model)"
    else if kind != "nix" && processManager == null then throw "${where}: processManager is required"
    else if !builtins.isList contents then throw "${where}: contents must be a list, got ${util.describe contents}"
    else true;
in
assert checked;
{
  type = "nixproc-image";
  inherit kind name tag interactive manpages forceDisableUserChange stateDir runtimeDir bootstrap processManager;
  exprFile = if exprFile == null then null else toString exprFile;
  idResourcesFile = if idResourcesFile == null then null else toString idResourcesFile;
  idsFile = if idsFile == null then null else toString idsFile;
  extraParams = util.toData extraParams;
  # Debian package names, host paths, or store paths of derivations.
  contents = map (item: if builtins.isString item then item else toString item) contents;
}
