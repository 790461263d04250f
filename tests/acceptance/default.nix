# The original framework's acceptance catalogue (its tests/*.nix, T1-T13 in
# the reference) as testService suites for `nixproc test`:
#
#   nixproc test tests/acceptance/default.nix
#   nixproc test -A webapps-modes.privileged.systemd tests/acceptance/default.nix
#
# T8 (systemd user manager) is webapps-advanced's unprivileged.systemd and
# T13 is tests/services/. s6-rc's variants are skipped where its tools are
# not installed (Debian 12 has none); the s6-rc backend's commands are
# checked with recording stand-ins by tests/integration instead.
{ testService }:

{
  builds = import ./builds.nix { inherit testService; };
  webapps-sysvinit = import ./webapps-sysvinit.nix { inherit testService; };
  webapps-agnostic-config = import ./webapps-agnostic-config.nix { inherit testService; };
  webapps-modes = import ./webapps-modes.nix { inherit testService; };
  supervisord-stateless = import ./supervisord-stateless.nix { inherit testService; };
  multi-process-images = import ./multi-process-images.nix { inherit testService; };
  webapps-advanced = import ./webapps-advanced.nix { inherit testService; };
}
