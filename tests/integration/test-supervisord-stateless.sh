#!/bin/bash
# nixproc-supervisord-deploy-stateless: supervisord runs in the foreground on
# the built profile, without a generation; the example system answers, and
# stopping supervisord stops every process.
. "$(dirname "$0")/lib.sh"
command -v supervisord >/dev/null || { echo "supervisord is not installed"; exit 77; }
W=$(free_port)
N=$(free_port)
ids="{\"ids\": {\"webappPorts\": {\"webapp\": $W}, \"nginxPorts\": {\"nginx\": $N}}}"

nixproc-supervisord-deploy-stateless --state-dir "$STATE" --force-disable-user-change \
  --extra-params "$ids" "$EXAMPLES/webapps-agnostic/processes.nix" >"$TEST_DIR/supervisord.out" 2>&1 &
supervisord_pid=$!
wait_for_port "$N"
check_contains "nginx routes to the webapp" "$(http_get "$N" webapp.local)" "listening on port: $W"
check "supervisord runs in the foreground as the command's own process" kill -0 "$supervisord_pid"
check_equal "it runs supervisord itself (exec)" "$(tr '\0' ' ' </proc/$supervisord_pid/cmdline | grep -c supervisord)" 1
check_equal "no generation was made" "$(nixproc switch --list-generations | wc -l)" 0
check "the profile is a GC root while it runs" nixproc gc
conf=$(tr '\0' '\n' </proc/$supervisord_pid/cmdline | tail -n 1)
check "its config survives gc" test -f "$conf"
check_contains "supervisorctl sees both programs" \
  "$(supervisorctl -c "$conf" status 2>&1)" "webapp"
kill -TERM "$supervisord_pid"
wait "$supervisord_pid"
check "the webapp stopped with supervisord" port_closed "$W"
check "nginx stopped with supervisord" port_closed "$N"
check_equal "no process is left" "$(test_processes | wc -l)" 0

output=$(nixproc supervisord-stateless --state-dir "$STATE" --force-disable-user-change \
  "$TEST_DIR/missing.nix" 2>&1)
check "a missing model is an error" test $? -ne 0
check_contains "which says so" "$output" "does not exist"
check "--help works" nixproc supervisord-stateless --help
finish
