# createSystemdService: a systemd unit written directly (the `systemd-unit`
# type, docs/process-managers.md), recorded as data for nixproc's systemd
# backend: the shared fields below plus one attribute set per unit section
# (Unit, Service, Install, ...), e.g. Service.ExecStart = [ "/bin/x" "-f" ].
{ createCredentials ? null }:

let
  util = import ./util.nix;
in
{ name ? null
, instanceName ? null
, environment ? null
, path ? null
, initialize ? null
, dependencies ? null
, credentials ? null
, postInstall ? null
, ...
}@params:

let
  where = util.label "createSystemdService" params;
in
util.checkNamed where params
  (util.checkPostInstall where postInstall
    (util.record {
      inherit where;
        params = util.withIds createCredentials params;
      type = "systemd-unit";
      drop = [ "postInstall" ];
    }))
