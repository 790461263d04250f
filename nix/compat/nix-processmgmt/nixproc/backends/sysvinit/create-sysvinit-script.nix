# The original's createSystemVInitScript generator: nixproc's, which writes its own scripts (initialInstructions, startDaemon, ... do not apply).
# Generator arguments only the original's builders used are accepted and
# ignored; ids come with the createCredentials given.
{ createCredentials ? null, ... }@generatorArgs:

import <nixproc/create-system-v-init-script.nix> { inherit createCredentials; }
