# The original's createOneShotService generator: nixproc's (up and down may be files).
{ createCredentials ? null, ... }:

import <nixproc/create-s6-rc-service.nix> { serviceType = "oneshot"; inherit createCredentials; }
