# Reads the parts of Disnix models nixproc needs (ID assignment, graphs):
# per service its name, type, dependencies and one chosen property; the
# targets' host names; and the distribution as target names. Packages are
# never evaluated, so models that need nixpkgs for their `pkg` still load.
{ servicesFile, infrastructureFile ? "", distributionFile ? "", property ? "requiresUniqueIdsFor" }:

let
  inherit (builtins) attrNames attrValues isAttrs isFunction isList isString mapAttrs;

  apply = file: arguments:
    let value = import file;
    in if isFunction value
       then value (builtins.intersectAttrs (builtins.functionArgs value) arguments)
       else value;

  infrastructure = if infrastructureFile == "" then { } else apply infrastructureFile { };
  # Targets carry their own name, so the distribution's references can be named.
  taggedInfrastructure = mapAttrs (name: target: target // { __nixprocTarget = name; }) infrastructure;

  targetName = service: target:
    if isAttrs target && target ? __nixprocTarget then target.__nixprocTarget
    else if isAttrs target && target ? target then targetName service target.target
    else throw "distribution of ${service}: expected targets from the infrastructure model (infrastructure.<name>)";

  targetsOf = service: value:
    if isList value then map (targetName service) value
    else if isAttrs value && value ? targets then map (targetName service) value.targets
    else throw "distribution of ${service}: expected a list of targets";

  distribution =
    if distributionFile == "" then null
    else apply distributionFile { infrastructure = taggedInfrastructure; };

  distributedTo = if distribution == null then null else mapAttrs targetsOf distribution;

  invDistribution = mapAttrs (name: target: target // {
    services = builtins.filter (service: builtins.elem name distributedTo.${service}) (attrNames distributedTo);
  }) taggedInfrastructure;

  services = apply servicesFile {
    system = builtins.currentSystem;
    # There is no nixpkgs here; packages are never looked at.
    pkgs = null;
    distribution = if distribution == null then { } else distribution;
    inherit invDistribution;
  };

  dependencyNames = key: field: dependencies:
    if !(isAttrs dependencies) then throw "service ${key}: ${field} must be an attribute set of services"
    else map (dependency:
      if isAttrs dependency && dependency ? name then dependency.name
      else throw "service ${key}: ${field} must refer to services (with a name)")
      (attrValues dependencies);
in
{
  services = mapAttrs (key: service: {
    name = service.name or key;
    type = service.type or null;
    property = service.${property} or null;
    dependsOn = dependencyNames key "dependsOn" (service.dependsOn or { });
    activatesAfter = dependencyNames key "activatesAfter" (service.activatesAfter or { });
  }) services;
  targets = mapAttrs (name: target: {
    hostname = target.properties.hostname or name;
  }) infrastructure;
  distribution = distributedTo;
}
