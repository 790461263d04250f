# The original's create-mutable-multi-process-image-universal.nix: nixproc's image description (docs/images.md).
{ pkgs ? null, ... }:
input: import ../../../../create-image.nix "mutable" (builtins.removeAttrs input [ "steps" ])
