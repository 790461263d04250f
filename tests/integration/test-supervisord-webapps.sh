#!/bin/bash
# The example system deployed as supervisord programs, unprivileged: one
# supervisord for the state dir, started by the first switch and stopped by
# the undeploy; PIDs come from supervisord's own status.
. "$(dirname "$0")/lib.sh"
command -v supervisord >/dev/null || { echo "supervisord is not installed"; exit 77; }
PM=supervisord
PID_FROM_STATUS=1
. "$(dirname "$0")/webapps.sh"
check "supervisord stopped with the last program" test ! -e "$STATE/run/nixproc-supervisord.pid"

# A killed program shows up in the status, and supervisord restarts it.
check "deploy again" switch --extra-params "$simple_ids" "$EXAMPLES/webapps-agnostic/processes.nix"
wait_for_port "$N"
old=$(status_pid webapp)
check "the webapp has a PID" test -n "$old"
kill -KILL "$old"
for i in $(seq 50); do
  new=$(status_pid webapp)
  [ -n "$new" ] && [ "$new" != "$old" ] && break
  sleep 0.1
done
check "supervisord restarted the killed webapp" test -n "$new" -a "$new" != "$old"
wait_for_port "$W"
check_contains "it answers again" "$(http_get "$N" webapp.local)" "listening on port: $W"
check_contains "supervisord wrote the program's output to the log dir" \
  "$(ls "$STATE/log")" "webapp.log"
check "undeploy" switch --undeploy
check_equal "no process is left" "$(test_processes | wc -l)" 0
finish
