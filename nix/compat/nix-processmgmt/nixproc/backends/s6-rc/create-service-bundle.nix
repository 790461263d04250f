# The original's createServiceBundle generator: nixproc's s6-rc bundle.
{ ... }:

import <nixproc/create-service-bundle.nix> { }
