# The original's createProcessScript generator: nixproc's.
# Generator arguments only the original's builders used are accepted and
# ignored; ids come with the createCredentials given.
{ createCredentials ? null, ... }@generatorArgs:

import <nixproc/create-process-script.nix> { inherit createCredentials; }
