# stdenv for models written against nixpkgs: `mkDerivation` makes a real
# derivation whose builder, /bin/sh running ./generic-builder.sh, runs the
# phases (or buildCommand) with the host's tools. The attributes reach the
# builder as environment variables, as in nixpkgs (lists space separated,
# true as "1", false and null as "").
{ lib, system }:

let
  shell = "/bin/sh";
  platform = {
    inherit system;
    isLinux = true;
    isDarwin = false;
    isx86_64 = system == "x86_64-linux";
    isAarch64 = system == "aarch64-linux";
  };

  # Attributes that describe the result and are not for the builder.
  notForBuilder = [ "meta" "passthru" "builder" "args" "outputs" ];

  mkDerivation = attrs:
    let
      name =
        if attrs ? name then attrs.name
        else if attrs ? pname && attrs ? version then "${attrs.pname}-${attrs.version}"
        else if attrs ? pname then attrs.pname
        else throw "stdenv.mkDerivation: give `name`, or `pname` and `version`";
      outputs = attrs.outputs or [ "out" ];
      checked =
        if outputs != [ "out" ] then
          throw "stdenv.mkDerivation ${name}: outputs = ${builtins.toJSON outputs}: nixproc's <nixpkgs> compatibility set builds a single output only; drop `outputs` (everything goes to $out)"
        else attrs;
      derivationAttrs = builtins.removeAttrs checked notForBuilder // {
        inherit name system;
        builder = shell;
        args = [ "-e" (attrs.builder or ./generic-builder.sh) ];
      };
      result = derivation derivationAttrs;
    in
    result // (attrs.passthru or { }) // {
      meta = attrs.meta or { };
      # f is `old: { ... }` or nixpkgs' newer `final: prev: { ... }`.
      overrideAttrs = f:
        let changes = f attrs; in
        mkDerivation (attrs // (if builtins.isFunction changes then changes attrs else changes));
    };
in
{
  inherit shell system mkDerivation lib;
  isLinux = true;
  isDarwin = false;
  hostPlatform = platform;
  buildPlatform = platform;
  targetPlatform = platform;
  cc = throw "stdenv.cc: nixproc's <nixpkgs> compatibility set has no C compiler package; the builder's PATH has the host's cc/gcc when installed";
}
