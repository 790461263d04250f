# createCredentials: the groups and users processes need. IDs assigned with
# nixproc-id-assign (ids.gids.<name>, ids.uids.<name>) fill in missing
# gid/uid; explicit values win. Whether accounts are created at all
# (forceDisableUserChange, root) is decided by nixproc when it deploys.
{ ids ? { } }:

{ groups ? { }, users ? { } }:

{
  groups = builtins.mapAttrs
    (name: props:
      (if !(props ? gid) && ids ? gids && ids.gids ? ${name} then { gid = ids.gids.${name}; } else { })
      // props)
    groups;
  users = builtins.mapAttrs
    (name: props:
      (if !(props ? uid) && ids ? uids && ids.uids ? ${name} then { uid = ids.uids.${name}; } else { })
      // props)
    users;
}
