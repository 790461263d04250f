# The original's createCredentials generator: nixproc's createCredentials
# with the ids given (uids/gids for users and groups without explicit ones).
{ stdenv ? null, lib ? null, ids ? { }, forceDisableUserChange ? false, ... }:

import <nixproc/create-credentials.nix> { inherit ids; }
