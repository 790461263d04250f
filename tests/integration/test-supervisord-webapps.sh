#!/bin/bash
# The example system deployed as supervisord programs, unprivileged: one
# supervisord for the state dir, started by the first switch and stopped by
# the undeploy; PIDs come from supervisord's own status.
. "$(dirname "$0")/lib.sh"
command -v supervisord >/dev/null || { echo "supervisord is not installed"; exit 77; }
PM=supervisord
PID_FROM_STATUS=1
. "$(dirname "$0")/webapps.sh"
check "supervisord stopped with the last program" test ! -e "$STATE/run/supervisord.pid"
finish
