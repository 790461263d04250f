#!/bin/bash
# The example system deployed with sysvinit scripts, unprivileged
# (--force-disable-user-change, state below the test dir).
. "$(dirname "$0")/lib.sh"
PM=sysvinit
. "$(dirname "$0")/webapps.sh"

# runactivity walks the rc3.d S links; -r stop stops in reverse order.
check "deploy again" switch --extra-params "$simple_ids" "$EXAMPLES/webapps-agnostic/processes.nix"
wait_for_port "$N"
check "nixproc-sysvinit-runactivity status" nixproc-sysvinit-runactivity status
check "nixproc-sysvinit-runactivity -r stop" nixproc-sysvinit-runactivity -r stop
check "everything is stopped" port_closed "$N"
check "and the webapp too" port_closed "$W"
check "nixproc-sysvinit-runactivity start" nixproc-sysvinit-runactivity start
wait_for_port "$N"
check_contains "answers again" "$(http_get "$N" webapp.local)" "listening on port: $W"
check "the same through nixproc-sysvinit-switch --undeploy" \
  nixproc-sysvinit-switch --state-dir "$STATE" --force-disable-user-change --undeploy
check "undeployed" port_closed "$W"
finish
