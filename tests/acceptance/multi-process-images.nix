# T12: a multi-process image of the example system for supervisord (a
# manager that prefers foreground processes) and sysvinit (one that prefers
# daemons), privileged and with user changes disabled: loaded into podman,
# run on the host network, R1, stopped and removed. (The original also
# builds disnix and s6-rc images; tests/integration/test-image.sh covers
# every manager nixproc writes images for.)
{ testService }:

let
  checks = import ./checks.nix { };
  model = toString ../../examples/webapps-agnostic/processes.nix;
  image = pm: forced:
    let name = "multiprocess-${pm}${if forced then "-forced" else ""}";
    in
    checks.succeed "nixproc image -P ${pm} ${if forced then "--force-disable-user-change" else ""} --name ${name} --tag test -o /tmp/${name}.tar ${model}"
    + checks.succeed "podman load -i /tmp/${name}.tar"
    + checks.succeed "podman run --name ${name} --detach --rm --network host localhost/${name}:test"
    + checks.r1
    + checks.succeed "podman stop --time 10 ${name}"
    # --rm removes the stopped container in the background; wait for it, or
    # the image is still in use.
    + checks.succeed "podman rm --force --ignore ${name}"
    + checks.succeed "podman rmi localhost/${name}:test"
    + checks.fail "curl --fail -s http://localhost:8080";
in
testService {
  name = "multi-process-images";
  exprFile = ./empty.nix;
  processManagers = [ "docker" ];  # for podman
  profiles = [ "privileged" ];
  postTests = _: builtins.concatStringsSep "" (map (pm: image pm false + image pm true)
    [ "supervisord" "sysvinit" ]);
}
