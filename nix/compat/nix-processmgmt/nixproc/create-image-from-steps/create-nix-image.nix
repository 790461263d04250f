# The original's create-nix-image.nix: nixproc's image description (docs/images.md).
{ pkgs ? null, ... }:
input: import ../../../../create-image.nix "nix" (builtins.removeAttrs input [ "steps" ])
