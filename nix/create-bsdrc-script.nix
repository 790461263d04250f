# createBSDRCScript: the original framework's rc.d script constructor (its
# name and parameters), giving nixproc's native `bsdrc-script` config. As in
# the original, rcvar defaults to "enabled" (<name>_enabled). The FreeBSD
# resource settings nixproc does not write (fib, limits, loginClass,
# oomProtect, required*) are refused rather than dropped.
{ createCredentials ? null }:

let
  util = import ./util.nix;
  unsupported = [ "fib" "limits" "loginClass" "oomProtect" "requiredFiles" "requiredDirs" "requiredVars" "requiredModules" ];
in
{ name
, rcvar ? "enabled"
, rcvarsDefaults ? null
, command ? null
, commandArgs ? null
, commandIsDaemon ? null
, enableDaemonOutputLogging ? null
, reloadSignal ? null
, stopSignal ? null
, environment ? null
, path ? null
, instanceName ? null
, pidFile ? null
, nice ? null
, umask ? null
, directory ? null
, user ? null
, fib ? null
, limits ? null
, loginClass ? null
, oomProtect ? null
, requiredFiles ? null
, requiredDirs ? null
, requiredVars ? null
, requiredModules ? null
, commands ? null
, flexibleParameters ? null
, requires ? null
, provides ? null
, keywords ? null
, dependencies ? null
, credentials ? null
, postInstall ? null
}@params:

let
  where = util.label "createBSDRCScript" params;
  given = builtins.filter (field: (params.${field} or null) != null) unsupported;
  passed = builtins.removeAttrs (params // { inherit rcvar; })
    (unsupported ++ builtins.filter (key: params.${key} == null) (builtins.attrNames params));
in
if given != [ ] then
  throw "${where}: ${builtins.head given} is not supported: nixproc's rc.d scripts do not set FreeBSD's ${builtins.concatStringsSep ", " unsupported}"
else
  util.checkPostInstall where postInstall
    (util.record {
      inherit where;
      params = util.withIds createCredentials passed;
      type = "bsdrc-script";
      drop = [ "postInstall" ];
    })
