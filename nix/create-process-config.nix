# createProcessConfig: a config for the built-in daemon manager (`-P disnix`),
# with Dysnomia's process semantics: `process` daemonises and writes `pidFile`.
{ }:

{ name ? null, instanceName ? null, process, pidFile ? null, program ? null
, dependencies ? [ ], credentials ? null }@params:

builtins.removeAttrs params [ "dependencies" ]
// { type = "process"; process = toString process; }
// {
  dependencies = map
    (dependency: if builtins.isString dependency then dependency else dependency.name or dependency.instanceName)
    dependencies;
}
