# The original's create-multi-process-image-universal.nix: nixproc's image description (docs/images.md).
{ pkgs ? null, ... }:
input: import ../../../../create-image.nix "multi" (builtins.removeAttrs input [ "steps" ])
