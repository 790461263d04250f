# The original's createLongRunService generator: nixproc's (run and finish may be files).
{ createCredentials ? null, ... }:

import <nixproc/create-s6-rc-service.nix> { serviceType = "longrun"; inherit createCredentials; }
