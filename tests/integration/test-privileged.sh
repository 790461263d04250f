#!/bin/bash
# A privileged deployment (root, user changes allowed): the groups and users
# the example system declares are created before anything starts, the webapp
# runs as its own user, nginx switches to its user itself. Accounts this test
# created are removed again at the end; nixproc itself never removes them.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then
  echo "skipped: needs root"
  exit 77
fi
note_new_accounts webapp nginx nixproc-temp nixproc-pre
trap remove_new_accounts EXIT

W=$(free_port)
N=$(free_port)
ids="{\"ids\": {\"webappPorts\": {\"webapp\": $W}, \"nginxPorts\": {\"nginx\": $N}}}"
pms=$(runnable_pms)
echo "process managers:" $pms
for pm in $pms; do
  check "$pm: privileged deploy" nixproc switch -P "$pm" --state-dir "$STATE" --extra-params "$ids" \
    "$EXAMPLES/webapps-agnostic/processes.nix"
  check "$pm: the webapp user exists" id webapp
  check "$pm: the nginx group exists" getent group nginx
  wait_for_port "$N"
  check_contains "$pm: nginx answers" "$(http_get "$N" webapp.local)" "listening on port: $W"
  webapp=$(instance_pid "$pm" webapp "$STATE/tmp/webapp.pid")
  check_equal "$pm: the webapp runs as user webapp" "$(stat -c %U /proc/"$webapp" 2>/dev/null)" webapp
  check_contains "$pm: the webapp has its supplementary groups" "$(id -Gn webapp)" webapp
  workers=$(pgrep -u nginx -f 'nginx: worker' | wc -l)
  check "$pm: nginx workers run as user nginx" test "$workers" -ge 1
  check "$pm: undeploy" nixproc switch --state-dir "$STATE" --undeploy
  check "$pm: nothing answers" port_closed "$N"
  check "$pm: users are left in place" id webapp
  check_equal "$pm: no process is left" "$(test_processes | wc -l)" 0
done

# Accounts of removed instances stay unless --remove-unused-accounts, which
# deletes only the accounts nixproc created.
HOLD=$NIXPROC_BIN/nixproc-test-hold
id nixproc-pre >/dev/null 2>&1 || useradd -M -d /dev/null nixproc-pre
account_model() {  # account_model FILE INSTANCES...
  local file=$1 sep="" instance
  shift
  {
    echo "{"
    for instance in "$@"; do
      echo "$sep\"$instance\": {\"pkg\": {\"instanceName\": \"$instance\", \"foregroundProcess\": \"$HOLD\","
      echo " \"user\": \"$instance\", \"credentials\": {\"groups\": {\"$instance\": {}},"
      echo " \"users\": {\"$instance\": {\"group\": \"$instance\"}}}}}"
      sep=","
    done
    echo "}"
  } >"$file"
}
account_model "$TEST_DIR/both.json" nixproc-temp nixproc-pre
account_model "$TEST_DIR/none.json"
echo '{}' >"$TEST_DIR/none.json"
switch_root() { nixproc switch --state-dir "$STATE" "$@"; }
check "deploy instances that declare accounts" switch_root "$TEST_DIR/both.json"
check "the new user exists" id nixproc-temp
check "switch to a model without them" switch_root "$TEST_DIR/none.json"
check "the user is left in place by default" id nixproc-temp
check "deploy them again" switch_root "$TEST_DIR/both.json"
check "switch away with --remove-unused-accounts" switch_root --remove-unused-accounts "$TEST_DIR/none.json"
check_fails "the user nixproc created is deleted" id nixproc-temp
check_fails "and its group" getent group nixproc-temp
check "the user that existed before is kept" id nixproc-pre
check_equal "no process is left" "$(test_processes | wc -l)" 0
finish
