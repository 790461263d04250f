# The original's create-multi-process-image.nix: nixproc's image description (docs/images.md).
{ pkgs ? null, ... }:
input: import ../../../../create-image.nix "multi" (builtins.removeAttrs input [ "steps" ])
