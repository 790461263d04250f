# The original's createCygrunsrvParams generator: nixproc's (prefix does not
# apply: the service prefix is fixed).
{ ... }:

import <nixproc/create-cygrunsrv-params.nix> { }
