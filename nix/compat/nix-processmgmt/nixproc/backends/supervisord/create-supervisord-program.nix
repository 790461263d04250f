# The original's createSupervisordProgram generator: nixproc's (supervisor and basePackages do not apply).
# Generator arguments only the original's builders used are accepted and
# ignored; ids come with the createCredentials given.
{ createCredentials ? null, ... }@generatorArgs:

import <nixproc/create-supervisord-program.nix> { inherit createCredentials; }
