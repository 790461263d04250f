#!/bin/bash
# The example system deployed with the built-in daemon manager, unprivileged.
. "$(dirname "$0")/lib.sh"
PM=disnix
. "$(dirname "$0")/webapps.sh"

# A killed process shows up as dead; start brings it back.
check "deploy again" switch --extra-params "$simple_ids" "$EXAMPLES/webapps-agnostic/processes.nix"
wait_for_port "$W"
pid=$(webapp_pid webapp)
kill -KILL "$pid"
for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
check_contains "status reports the killed webapp as not running" "$(nixproc status webapp)" "stopped"
check "start brings it back" nixproc start webapp
wait_for_port "$W"
check "the same through nixproc-disnix-switch --undeploy" \
  nixproc-disnix-switch --state-dir "$STATE" --force-disable-user-change --undeploy
check "undeployed" port_closed "$W"
finish
