# The <nixpkgs> compatibility set: what models written against nixpkgs take
# from it, on a machine without nixpkgs. Packages are the host's (see
# host-packages.nix and `nixproc compat gen-pkgs`); builders and stdenv build
# with the host's /bin/sh and tools. See docs/compat.md.
{ system ? builtins.currentSystem
, config ? { }
, overlays ? [ ]
, ...
}:

let
  lib = import ./lib.nix;
  stdenv = import ./stdenv.nix { inherit lib system; };
  builders = import ./trivial-builders.nix { inherit lib stdenv; };
  hostPackages = import ./host-packages.nix { inherit lib system; };

  noNetwork = name: _: throw
    "pkgs.${name}: nixproc's <nixpkgs> compatibility set has no network fetchers; put the sources next to the model and use a path (src = ./dir;)";
  missingFeature = name: what: throw
    "pkgs.${name}: ${what} is not in nixproc's <nixpkgs> compatibility set (docs/compat.md lists what is)";

  pkgs = hostPackages // builders // {
    inherit lib stdenv system pkgs;
    stdenvNoCC = stdenv;
    buildPackages = pkgs;
    targetPackages = pkgs;
    config = config;

    # nixpkgs' callPackage: the function's arguments taken from pkgs, then
    # from `overrides`.
    callPackage = fn: overrides:
      let
        f = if builtins.isFunction fn then fn else import fn;
      in
      lib.makeOverridable f (builtins.intersectAttrs (builtins.functionArgs f) pkgs // overrides);

    fetchurl = noNetwork "fetchurl";
    fetchgit = noNetwork "fetchgit";
    fetchFromGitHub = noNetwork "fetchFromGitHub";
    fetchFromGitLab = noNetwork "fetchFromGitLab";
    fetchzip = noNetwork "fetchzip";
    fetchTarball = noNetwork "fetchTarball";
    fetchsvn = noNetwork "fetchsvn";
    fetchhg = noNetwork "fetchhg";
    dockerTools = missingFeature "dockerTools" "building container images with dockerTools (use `nixproc image`)";
    nixosTest = missingFeature "nixosTest" "the NixOS test driver";
    nixos = missingFeature "nixos" "NixOS";
  };
in
pkgs
