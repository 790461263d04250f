# testService: a suite of tests of one processes model, one variant per
# configuration profile and process manager, as the original's test driver
# has it:
#
#   testService { exprFile = ./processes.nix; readiness = ...; tests = ...;
#                 inherit processManagers profiles; }
#   => { privileged.sysvinit = <variant>; unprivileged.supervisord = ...; ... }
#
# A variant is plain data for `nixproc test`: the steps of its test script
# (Python text for the NixOS test driver's `machine` API, or shell lines), in
# the order the original runs them: bring up the process manager, deploy the
# system, initialTests, readiness for each instance in key order, tests for
# each instance in key order, postTests. Nothing here builds or runs anything.
{ lib ? import ./lib.nix }:

let
  knownProfiles = import ./test-driver/profiles.nix;
  managers = import ./test-driver/process-managers.nix { inherit lib; };
  python = builtins.toJSON;

  # A callback's text, or "" when it is null or returns null.
  callback = f: args:
    if f == null then ""
    else let text = f args; in if text == null then "" else toString text;

  modelOf = exprFile: params:
    let model = import exprFile;
    in if builtins.isFunction model
       then model (builtins.intersectAttrs (builtins.functionArgs model) params)
       else model;
in

{ exprFile
, processManagers ? [ "supervisord" "sysvinit" "systemd" "disnix" "s6-rc" ]
, profiles ? [ "privileged" "unprivileged" ]
, name ? baseNameOf (toString (dirOf exprFile))
, extraParams ? { }
, systemPackages ? [ ]
, nixosConfig ? null
, initialTests ? null
, readiness ? null
, tests ? null
, postTests ? null
}:

let
  variant = profileName: processManager:
    let
      profile = knownProfiles.${profileName} or
        (throw "testService ${name}: unknown profile `${profileName}' (known: ${lib.concatStringsSep ", " (builtins.attrNames knownProfiles)})");
      module = managers.modules.${processManager} or
        (throw "testService ${name}: unknown process manager `${processManager}' (known: ${lib.concatStringsSep ", " (builtins.attrNames managers.modules)})");
      pm = module profile;
      params = profile.params // pm.params or { } // { inherit processManager; };
      processes = modelOf exprFile ({ system = builtins.currentSystem; } // params // extraParams);
      instanceNames = builtins.attrNames processes;  # key order
      perInstance = f: extra: map (instanceName: {
        phase = instanceName;
        text = callback f ({ inherit instanceName; instance = processes.${instanceName}; } // callbackParams // extra);
      }) instanceNames;
      # nixproc's addition to the callbacks' parameters: the shell command
      # that switches this variant's system with `args` (a shell string:
      # "--undeploy", "--rollback", another model), as its deploying user.
      switchSystem = args: managers.asUser profile (pm.environment
        + lib.concatMapStringsSep " " managers.shellWord
          ([ "nixproc" "switch" "-P" processManager ] ++ profile.deployArgs ++ pm.deployArgs)
        + lib.optionalString (args != "") " ${args}");
      deployCommand = switchSystem (lib.concatMapStringsSep " " managers.shellWord (
        lib.optionals (extraParams != { }) [ "--extra-params" (builtins.toJSON extraParams) ]
        ++ [ (toString exprFile) ]));
      # ... and `asDeployer`: a shell command as the profile's deploying user.
      callbackParams = params // { inherit switchSystem; asDeployer = managers.asUser profile; };
      steps =
        [ { kind = "deploy-process-manager"; phase = processManager; text = pm.deployProcessManager; }
          { kind = "deploy-system"; phase = ""; text = "machine.succeed(${python deployCommand})\n"; }
          { kind = "initial-tests"; phase = ""; text = callback initialTests (callbackParams // { inherit processes; }); } ]
        ++ map (step: step // { kind = "readiness"; }) (perInstance readiness { })
        ++ map (step: step // { kind = "tests"; }) (perInstance tests { inherit processManager; })
        ++ [ { kind = "post-tests"; phase = ""; text = callback postTests (callbackParams // { inherit processes; }); } ];
    in
    {
      _type = "nixproc-test";
      inherit name processManager;
      profile = profileName;
      user = profile.user;
      exprFile = toString exprFile;
      inherit params;
      steps = builtins.filter (step: step.text != "") steps;
      systemPackages = map toString systemPackages;
    };
in
if nixosConfig != null
then throw "testService ${name}: nixosConfig is a NixOS module and nixproc's test machines are not NixOS; use systemPackages, initialTests or the model instead"
else lib.genAttrs profiles (profileName: lib.genAttrs processManagers (variant profileName))
