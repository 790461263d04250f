# The original's createSystemdService generator: nixproc's (prefix and basePackages do not apply: the unit prefix is fixed).
# Generator arguments only the original's builders used are accepted and
# ignored; ids come with the createCredentials given.
{ createCredentials ? null, ... }@generatorArgs:

import <nixproc/create-systemd-service.nix> { inherit createCredentials; }
