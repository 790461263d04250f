# Evaluates a test suite for `nixproc test`: the file is a testService call,
# a function of { pkgs, testService, processManagers, profiles, system }
# (the original's suite files), or an attribute set composing them; the
# result's variants (testService's <profile>.<processManager> leaves) below
# `attrPath` become a list of plain data. What the steps' text refers to in
# the Nix store (derivations, copied path literals) is listed as `context`
# so nixproc can build it first.
{ suiteFile, attrPath ? "", processManagersJSON ? "null", profilesJSON ? "null" }:

let
  lib = import ./lib.nix;
  testService = import ./test-driver.nix { inherit lib; };
  processManagers = builtins.fromJSON processManagersJSON;
  profiles = builtins.fromJSON profilesJSON;

  suite = import suiteFile;
  declared = if builtins.isFunction suite then builtins.functionArgs suite else { };
  # --process-managers/--profiles when given, else the suite's defaults, else testService's.
  choose = argName: value: fallback:
    if value != null then { ${argName} = value; }
    else if declared ? ${argName} && !declared.${argName} then { ${argName} = fallback; }
    else { };
  given = { inherit testService; system = builtins.currentSystem; }
    // lib.optionalAttrs (declared ? pkgs) { pkgs = import <nixpkgs> { }; }
    // choose "processManagers" processManagers [ "supervisord" "sysvinit" "systemd" "disnix" "s6-rc" ]
    // choose "profiles" profiles [ "privileged" "unprivileged" ];
  top = if builtins.isFunction suite then suite (builtins.intersectAttrs declared given) else suite;

  isVariant = value: builtins.isAttrs value && (value._type or null) == "nixproc-test";

  path = builtins.filter (part: builtins.isString part && part != "") (builtins.split "\\." attrPath);
  select = value: done: parts:
    if parts == [ ] then value
    else
      let part = builtins.head parts;
      in if !(builtins.isAttrs value) || isVariant value || !(value ? ${part})
         then throw "-A ${attrPath}: `${part}' is not in ${if done == [ ] then "the suite" else lib.concatStringsSep "." done}${lib.optionalString (builtins.isAttrs value && !isVariant value) " (it has: ${lib.concatStringsSep ", " (builtins.attrNames value)})"}"
         else select value.${part} (done ++ [ part ]) (builtins.tail parts);

  collect = prefix: value:
    if isVariant value then [ (value // { attrPath = lib.concatStringsSep "." prefix; }) ]
    else if builtins.isAttrs value
    then builtins.concatLists (map (name: collect (prefix ++ [ name ]) value.${name}) (builtins.attrNames value))
    else [ ];

  withContext = variant: variant // {
    context = builtins.attrNames (builtins.getContext (lib.concatMapStrings (step: step.text) variant.steps
      + lib.concatStrings variant.systemPackages));
  };

  variants = map withContext (collect path (select top [ ] path));
in
if variants == [ ]
then throw "${toString suiteFile}${lib.optionalString (attrPath != "") " -A ${attrPath}"}: no tests found (a suite is a testService call, or an attribute set of them)"
else variants
