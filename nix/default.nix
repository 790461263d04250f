# The nixproc Nix library. Models reach it as <nixproc> (nixproc puts this
# directory on the Nix search path when it evaluates a model) and apply it to
# the common parameters they were given:
#
#   { stateDir ? "/var", forceDisableUserChange ? false, processManager ? null, ... }:
#   let nixproc = import <nixproc> { inherit stateDir forceDisableUserChange processManager; };
#   in {
#     hello.pkg = nixproc.createManagedProcess { instanceName = "hello"; process = "/usr/bin/hello-daemon"; };
#   }
#
# Everything here returns data and builds nothing: nixproc applies the
# defaults, translates the configs for the chosen process manager and writes
# the generated files. See docs/nix-library.md.
{ stateDir ? "/var"
, runtimeDir ? "${stateDir}/run"
, logDir ? "${stateDir}/log"
, cacheDir ? "${stateDir}/cache"
, spoolDir ? "${stateDir}/spool"
, lockDir ? "${stateDir}/lock"
, libDir ? "${stateDir}/lib"
, tmpDir ? (if stateDir == "/var" then "/tmp" else "${stateDir}/tmp")
, forceDisableUserChange ? false
, processManager ? null
, ids ? { }
, ...
}:

let
  environmentStoreDir = builtins.getEnv "NIXPROC_STORE_DIR";
  createCredentials = import ./create-credentials.nix { inherit ids; };
  libexecDir = builtins.getEnv "NIXPROC_LIBEXEC_DIR";
  files = import ./write-text-file.nix {
    storeDir = if environmentStoreDir != "" then environmentStoreDir else "/var/lib/nixproc/store";
  };
in
{
  # The common parameters, so constructors can inherit them.
  inherit stateDir runtimeDir logDir cacheDir spoolDir lockDir libDir tmpDir;
  inherit forceDisableUserChange processManager ids;

  # Where nixproc's helper programs and the example `webapp` are; nixproc
  # sets NIXPROC_LIBEXEC_DIR when it evaluates (empty otherwise).
  inherit libexecDir;

  lib = import ./lib.nix;

  inherit (files) writeTextFile writeText writeScript;

  createManagedProcess = import ./create-managed-process.nix { inherit createCredentials; };
  createSystemVInitScript = import ./create-system-v-init-script.nix { inherit createCredentials; };
  createProcessConfig = import ./create-process-config.nix { inherit createCredentials; };
  createSystemdService = import ./create-systemd-service.nix { inherit createCredentials; };
  createLaunchdDaemon = import ./create-launchd-daemon.nix { inherit createCredentials; };
  createLongRunService = import ./create-s6-rc-service.nix { serviceType = "longrun"; inherit createCredentials; };
  createOneShotService = import ./create-s6-rc-service.nix { serviceType = "oneshot"; inherit createCredentials; };
  inherit createCredentials;

  # The constructors of the original framework nixproc had no equivalent
  # for, with its names and parameters (docs/compat.md).
  createSupervisordProgram = import ./create-supervisord-program.nix { inherit createCredentials; };
  createBSDRCScript = import ./create-bsdrc-script.nix { inherit createCredentials; };
  createCygrunsrvParams = import ./create-cygrunsrv-params.nix { };
  createProcessScript = import ./create-process-script.nix { inherit createCredentials; };
  createDockerContainer = import ./create-docker-container.nix { inherit createCredentials stateDir libexecDir; };
  createServiceBundle = import ./create-service-bundle.nix { };
  # Image descriptions for `nixproc image FILE` (docs/images.md).
  createMultiProcessImage = import ./create-image.nix "multi";
  createMutableMultiProcessImage = import ./create-image.nix "mutable";
  createNixImage = import ./create-image.nix "nix";
  # nixproc gives every longrun its log service (autoGenerateLogService,
  # the default), so there is none to create separately.
  createLogServiceForLongRunService = { name ? "?", ... }:
    throw "createLogServiceForLongRunService \"${name}\": nixproc creates a longrun's log service itself (createLongRunService's autoGenerateLogService, true by default); drop this call";
}
