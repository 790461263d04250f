# The original's agnostic createManagedProcess, parameterised by the
# generator of one process manager: nixproc's createManagedProcess, which
# every backend translates (processManager and generators are accepted and
# not needed). ids come with createCredentials, when given.
{ processManager ? null, generators ? { }, stdenv ? null, createCredentials ? null, ... }:

import <nixproc/create-managed-process.nix> { inherit createCredentials; }
