# Test-script snippets the acceptance suites share (the reference's R1, R2
# and U checks), as Python for the machine API. (A command as the profile's
# deploying user is the callbacks' `asDeployer`.)
{ }:

let
  python = builtins.toJSON;
in
rec {
  succeed = command: "machine.succeed(${python command})\n";
  fail = command: "machine.fail(${python command})\n";
  waitUntil = command: "machine.wait_until_succeeds(${python command})\n";

  # R1: nginx on 8080 routes webapp.local to the webapp on 5000.
  r1 = waitUntil "curl --fail -s -H 'Host: webapp.local' http://localhost:8080 | grep 'listening on port: 5000'";
  # R2: the advanced system's two proxies reach their webapps.
  r2 = waitUntil "curl --fail -s -H 'Host: webapp1.local' http://localhost:8080 | grep 'listening on port: 5001'"
    + waitUntil "curl --fail -s -H 'Host: webapp5.local' http://localhost:8081 | grep 'listening on port: 5005'";
  # U: the system is gone: nothing answers and no webapp runs.
  u = fail "curl --fail -s http://localhost:8080"
    + fail "pgrep -f '/webapp( -D)?$'";
}
