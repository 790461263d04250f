#!/bin/bash
# The example system deployed by a real unprivileged user (as the original's
# unprivileged test profile does), with every runnable backend.
. "$(dirname "$0")/lib.sh"
if ! ensure_test_user; then
  echo "skipped: needs root to run commands as an unprivileged test user"
  exit 77
fi
USER_STATE=$TEST_DIR/user-var
install -d -o "$TEST_USER" "$USER_STATE" "$TEST_DIR/user-home"
W=$(free_port)
N=$(free_port)
ids="{\"ids\": {\"webappPorts\": {\"webapp\": $W}, \"nginxPorts\": {\"nginx\": $N}}}"
uid=$(id -u "$TEST_USER")

output=$(as_test_user nixproc switch --state-dir "$USER_STATE" --extra-params "$ids" \
  "$EXAMPLES/webapps-agnostic/processes.nix" 2>&1)
check "without --force-disable-user-change an unprivileged deploy is refused" test $? -ne 0
check_contains "and the error says why" "$output" "needs root"
check "nothing was deployed" port_closed "$W"

for pm in $(runnable_pms); do
  check "$pm: deploy as $TEST_USER" as_test_user nixproc switch -P "$pm" --state-dir "$USER_STATE" \
    --force-disable-user-change --extra-params "$ids" "$EXAMPLES/webapps-agnostic/processes.nix"
  wait_for_port "$N"
  check_contains "$pm: nginx answers for webapp.local" "$(http_get "$N" webapp.local)" "listening on port: $W"
  webapp=$(NIXPROC_HOME=$TEST_DIR/user-home instance_pid "$pm" webapp "$USER_STATE/tmp/webapp.pid")
  check_equal "$pm: the webapp runs as $TEST_USER" "$(stat -c %u /proc/"$webapp")" "$uid"
  nginx=$(NIXPROC_HOME=$TEST_DIR/user-home instance_pid "$pm" nginx "$USER_STATE/run/nginx.pid")
  check_equal "$pm: nginx runs as $TEST_USER" "$(stat -c %u /proc/"$nginx")" "$uid"
  check "$pm: status as $TEST_USER" as_test_user nixproc status
  check "$pm: undeploy" as_test_user nixproc switch --state-dir "$USER_STATE" --force-disable-user-change --undeploy
  check "$pm: the webapp is gone" port_closed "$W"
  check_equal "$pm: nothing left running" "$(test_processes | wc -l)" 0
done
finish
