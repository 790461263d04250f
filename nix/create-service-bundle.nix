# createServiceBundle: an s6-rc bundle, the original framework's constructor
# (its name and parameters): `contents` are other s6-rc configs (or service
# names), started and stopped together with `s6-rc change <name>`. The
# contents are also the bundle's dependencies, so they start first.
{ }:

let
  util = import ./util.nix;
in
{ name, contents ? [ ], dependencies ? null }@params:

let
  where = util.label "createServiceBundle" params;
in
util.record {
  inherit where;
  params = params // {
    serviceType = "bundle";
    contents = util.dependencyNames where contents;
    dependencies = contents ++ (if dependencies == null then [ ] else dependencies);
  };
  type = "s6-rc-service";
}
