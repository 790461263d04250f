# The original's createBSDRCScript generator: nixproc's (rcSubr is a field or NIXPROC_BSDRC_RC_SUBR).
# Generator arguments only the original's builders used are accepted and
# ignored; ids come with the createCredentials given.
{ createCredentials ? null, ... }@generatorArgs:

import <nixproc/create-bsdrc-script.nix> { inherit createCredentials; }
