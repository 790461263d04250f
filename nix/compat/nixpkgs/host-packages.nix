# pkgs.<attr> for the host's installed packages. `nixproc compat gen-pkgs`
# writes the file NIXPROC_HOST_PACKAGES names from the package table
# (../package-table plus the user's); each attribute in it is a prefix
# string ("/usr"), a link farm (linkFarm below) or `missing` (not
# installed). Attributes of the shipped table stay known without that file,
# as errors saying how to make it. Everything is lazy: one attribute costs
# nothing until it is used.
{ lib, system }:

let
  file = builtins.getEnv "NIXPROC_HOST_PACKAGES";
  tablePath = toString ../package-table;

  words = line: builtins.filter (w: builtins.isString w && w != "") (builtins.split "[ \t]+" line);
  tableLines = builtins.filter
    (line: builtins.isString line && builtins.match "[ \t]*(#.*)?" line == null)
    (builtins.split "\n" (builtins.readFile ../package-table));
  # attribute path -> the shipped table's error, nested for paths such as
  # python3Packages.supervisor.
  shippedTable = builtins.foldl'
    (set: line:
      let w = words line; attr = builtins.head w; in
      lib.recursiveUpdate set
        (lib.setAttrByPath (lib.splitString "." attr) (notGenerated attr (builtins.elemAt w 1))))
    { }
    tableLines;

  notGenerated = attr: package: throw (
    "pkgs.${attr}: the host package list is "
    + (if file == "" then "not set (NIXPROC_HOST_PACKAGES is empty)" else "missing (${file} does not exist)")
    + ": run `nixproc compat gen-pkgs` and set NIXPROC_HOST_PACKAGES to the file it writes"
    + " (nixproc does both when it evaluates a model); pkgs.${attr} is the Debian package ${package}");

  missing = attr: package: throw
    "pkgs.${attr}: the Debian package ${package} is not installed (apt-get install ${package}), then run `nixproc compat gen-pkgs` again";

  # A package whose executables are not all in one <prefix>/bin: links
  # (relative path in $out, host path) built by /bin/sh.
  linkFarm = name: links:
    let
      # Both sides quoted: file names come from dpkg's lists and the tables.
      link = pair:
        let
          target = "\"$out\"/${escape (builtins.elemAt pair 0)}";
        in
        "mkdir -p \"$(dirname ${target})\" && ln -s ${escape (builtins.elemAt pair 1)} ${target}";
      escape = arg: "'${builtins.replaceStrings [ "'" ] [ "'\\''" ] arg}'";
    in
    derivation {
      inherit name system;
      builder = "/bin/sh";
      args = [ "-ec" (builtins.concatStringsSep "\n" ([ "mkdir -p \"$out/bin\"" ] ++ map link links)) ];
      PATH = "/usr/bin:/bin";
      preferLocalBuild = true;
      allowSubstitutes = false;
    };

  # nixpkgs splits packages into outputs (dev, bin, lib...); a host package
  # is one prefix, so every output is the package itself.
  outputNames = [ "out" "dev" "bin" "lib" "man" "doc" "info" "static" ];
  withOutputs = value:
    if builtins.isString value then
      let self = { outPath = value; outputs = outputNames; } // lib.genAttrs outputNames (_: self); in self
    else if builtins.isAttrs value && !(value ? type && value.type == "derivation") then
      builtins.mapAttrs (name: withOutputs) value
    else if builtins.isAttrs value then
      value // lib.genAttrs (builtins.filter (name: !(value ? ${name})) outputNames) (_: value)
    else value;

  generated =
    if file != "" && builtins.pathExists file
    then builtins.mapAttrs (name: withOutputs) (import file { inherit linkFarm missing; })
    else { };
in
shippedTable // generated // {
  # For the table and gen-pkgs' tests: where the attributes came from.
  __hostPackagesFile = file;
  __packageTable = tablePath;
}
