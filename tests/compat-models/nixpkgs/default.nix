# A tiny stand-in for <nixpkgs>, enough for the models here written in the
# original framework's conventions (the real compatibility set is
# nix/compat/nixpkgs). It builds nothing: files are nixproc's.
{ system ? builtins.currentSystem, ... }:

let
  nixproc = import <nixproc> { };
in
{
  inherit system;
  stdenv = { shell = "/bin/sh"; inherit system; };
  lib = nixproc.lib;
  writeTextFile = { name, text, executable ? false, destination ? "", checkPhase ? "", ... }:
    nixproc.writeTextFile { inherit name text executable destination; };
}
