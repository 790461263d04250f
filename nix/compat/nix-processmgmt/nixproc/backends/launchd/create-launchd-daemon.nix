# The original's createLaunchdDaemon generator: nixproc's launchd-daemon config from the original's plist-key parameters.
# Generator arguments only the original's builders used are accepted and
# ignored; ids come with the createCredentials given.
{ createCredentials ? null, ... }@generatorArgs:

import <nixproc/create-launchd-daemon-original.nix> { inherit createCredentials; }
