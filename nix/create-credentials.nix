# createCredentials: the groups and users processes need, as data:
#   { groups = { <group> = { gid?, ... }; }; users = { <user> = { uid?, group?, description?, ... }; }; }
# A group without `gid` gets ids.gids.<group>, a user without `uid` gets
# ids.uids.<user>, when those exist (IDs assigned with nixproc id-assign are
# looked up by name, so name instances, users and groups alike); explicit
# values win. Whether accounts are created at all (root, and not
# forceDisableUserChange) is decided by nixproc when it deploys.
{ ids ? { } }:

let
  util = import ./util.nix;

  withId = kind: idAttribute: table: name: properties:
    if !builtins.isAttrs properties then
      throw "createCredentials: ${kind}.${name} must be an attribute set of properties, got ${util.describe properties}"
    else if !(properties ? ${idAttribute}) && (ids.${table} or { }) ? ${name} then
      { ${idAttribute} = ids.${table}.${name}; } // util.toData properties
    else util.toData properties;

  each = kind: idAttribute: table: set:
    if builtins.isAttrs set then builtins.mapAttrs (withId kind idAttribute table) set
    else throw "createCredentials: ${kind} must be an attribute set { <name> = { ... }; }, got ${util.describe set}";
in
{ groups ? { }, users ? { } }:

{
  groups = each "groups" "gid" "gids" groups;
  users = each "users" "uid" "uids" users;
}
