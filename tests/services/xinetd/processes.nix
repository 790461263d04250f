# Two xinetd instances side by side, for tests/services/xinetd; each has
# a `hello` service (/bin/echo greeting with the instance's name) on `port`,
# xinetd's internal `echo` on `echoPort` and a `whoami` service (`id -un`,
# the user xinetd runs its servers as) on `whoamiPort`.
(import ../lib.nix).processes ({ constructors, callingUser, ... }:
let
  instance = n: rec {
    port = 7000 + n;
    echoPort = 7010 + n;
    whoamiPort = 7020 + n;
    instanceSuffix = toString n;
    pkg = constructors.xinetd {
      inherit instanceSuffix callingUser;
      services = {
        hello = {
          type = "UNLISTED";
          socket_type = "stream";
          protocol = "tcp";
          wait = "no";
          bind = "127.0.0.1";
          inherit port;
          server = "/bin/echo";
          server_args = [ "hello" "from" "xinetd${instanceSuffix}" ];
        };
        whoami = {
          type = "UNLISTED";
          socket_type = "stream";
          protocol = "tcp";
          wait = "no";
          bind = "127.0.0.1";
          port = whoamiPort;
          server = "/usr/bin/id";
          server_args = "-un";
        };
        echo = {
          type = "INTERNAL UNLISTED";
          id = "echo-stream";
          socket_type = "stream";
          protocol = "tcp";
          wait = "no";
          bind = "127.0.0.1";
          port = echoPort;
        };
      };
    };
  };
in
{
  xinetd1 = instance 1;
  xinetd2 = instance 2;
})
