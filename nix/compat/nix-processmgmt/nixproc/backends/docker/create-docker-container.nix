# The original's createDockerContainer generator: nixproc's, which builds
# each container's root file system itself (see create-docker-container.nix).
{ stateDir ? "/var", createCredentials ? null, ... }:

import <nixproc/create-docker-container.nix> {
  inherit stateDir createCredentials;
  libexecDir = builtins.getEnv "NIXPROC_LIBEXEC_DIR";
}
