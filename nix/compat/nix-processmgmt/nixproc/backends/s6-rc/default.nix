# The original's s6-rc generators: nixproc's createLongRunService,
# createOneShotService and createServiceBundle. logDirUser/logDirGroup do
# not apply (nixproc's log services run as s6-log), and
# createLogServiceForLongRunService is nixproc's automatic log service.
{ createCredentials ? null, ... }@generatorArgs:

{
  createLongRunService = import ./create-longrun-service.nix generatorArgs;
  createOneShotService = import ./create-oneshot-service.nix generatorArgs;
  createServiceBundle = import ./create-service-bundle.nix generatorArgs;
  createLogServiceForLongRunService = import ./create-log-service-for-longrun-service.nix generatorArgs;
}
