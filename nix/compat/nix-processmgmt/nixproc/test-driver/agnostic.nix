# The original's test-driver/agnostic.nix (as universal.nix): testService for `nixproc test`
# (docs/testing.md). The original builds NixOS virtual machines; nixproc runs
# each variant in a throwaway machine of Linux namespaces instead.
{ system ? builtins.currentSystem, pkgs ? null, ... }:
import ../../../../test-driver.nix { }
