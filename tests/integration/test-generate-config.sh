#!/bin/bash
# nixproc generate-config: one agnostic JSON config (as `build -P none`
# writes it) -> the files of every backend; the sysvinit result deploys and
# the webapp answers; bad calls fail clearly and leave nothing behind.
source "$(dirname "$0")/lib.sh"

W=$(free_port) N=$(free_port)
ids="{\"ids\": {\"webappPorts\": {\"webapp\": $W}, \"nginxPorts\": {\"nginx\": $N}}}"
agnostic=$(nixproc build -P none --state-dir "$STATE" --force-disable-user-change --no-out-link \
  --extra-params "$ids" "$EXAMPLES/webapps-agnostic/processes.nix")
check "the agnostic configs are built" test -f "$agnostic/webapp.json"

pms=$(nixproc build --help | sed -n 's/.*Process manager to deploy with: \([^(]*\).*/\1/p' | tr -d ',')
for pm in $pms; do
  out=$(nixproc generate-config -P "$pm" --state-dir "$STATE" --force-disable-user-change \
    "$agnostic/nginx.json" 2>"$TEST_DIR/err")
  check "generate-config -P $pm prints a result" test -d "$out"
  check_equal "$pm: the result holds the one process" \
    "$(python3 -c 'import json,sys; print([i["key"] for i in json.load(open(sys.argv[1]))["instances"]])' \
      "$out/manifest.json")" "['nginx']"
  check_contains "$pm: the left-out dependency is mentioned" "$(cat "$TEST_DIR/err")" \
    'dependencies ["webapp"] are left out'
done

out=$(nixproc-generate-config -P sysvinit --state-dir "$STATE" --force-disable-user-change \
  "$agnostic/webapp.json")
check "the nixproc-generate-config alias works" test -x "$out/etc/rc.d/init.d/webapp"
check "the result deploys with nixproc switch" \
  nixproc switch -P sysvinit --state-dir "$STATE" --force-disable-user-change "$out"
wait_for_port "$W"
check_contains "the webapp answers" "$(http_get "$W")" "listening on port: $W"
check "undeploy" nixproc switch -P sysvinit --undeploy --state-dir "$STATE"
check "the webapp stopped" port_closed "$W"

before=$(ls "$NIXPROC_HOME/store" | wc -l)
check_fails "no process manager" env -u NIXPROC_PROCESS_MANAGER nixproc generate-config "$agnostic/webapp.json"
check_fails "an unknown process manager" nixproc generate-config -P upstart "$agnostic/webapp.json"
check_fails "a missing config" nixproc generate-config -P systemd "$TEST_DIR/missing.json"
echo '[1, 2]' >"$TEST_DIR/list.json"
check_fails "a config that is no object" nixproc generate-config -P systemd "$TEST_DIR/list.json"
echo '{"instanceName": "x"}' >"$TEST_DIR/noprocess.json"
check_fails "a config without a process" nixproc generate-config -P sysvinit "$TEST_DIR/noprocess.json"
check_equal "failed calls store nothing" "$(ls "$NIXPROC_HOME/store" | wc -l)" "$before"
finish
