#!/bin/bash
# The example system deployed as runit services, unprivileged: one runsvdir
# for the state dir, started by the first switch and stopped by the undeploy;
# a runsv and an svlogd per service; PIDs come from `sv status`.
. "$(dirname "$0")/lib.sh"
command -v runsvdir >/dev/null || { echo "runit is not installed"; exit 77; }
PM=runit
PID_FROM_STATUS=1
. "$(dirname "$0")/webapps.sh"
check "runsvdir stopped with the last service" test ! -e "$STATE/run/nixproc-runsvdir.pid"
check_equal "no service directory is left" "$(ls -A "$STATE/lib/nixproc-runit/sv" "$STATE/run/nixproc-runit/service")" \
  "$(printf '%s:\n\n%s:' "$STATE/lib/nixproc-runit/sv" "$STATE/run/nixproc-runit/service")"

# A killed service shows up in the status, and runsv restarts it.
check "deploy again" switch --extra-params "$simple_ids" "$EXAMPLES/webapps-agnostic/processes.nix"
wait_for_port "$N"
runsvdir_pid=$(cat "$STATE/run/nixproc-runsvdir.pid")
check "runsvdir runs" kill -0 "$runsvdir_pid"
old=$(status_pid webapp)
check "the webapp has a PID" test -n "$old"
check_equal "sv status names its keeper" "$(sv status "$STATE/lib/nixproc-runit/sv/webapp" | sed -n 's/^run: [^(]*(pid \([0-9]*\)).*/\1/p')" "$(parent_pid "$old")"
kill -KILL "$old"
for i in $(seq 50); do
  new=$(status_pid webapp)
  [ -n "$new" ] && [ "$new" != "$old" ] && break
  sleep 0.1
done
check "runsv restarted the killed webapp" test -n "$new" -a "$new" != "$old"
wait_for_port "$W"
check_contains "it answers again" "$(http_get "$N" webapp.local)" "listening on port: $W"
check "svlogd keeps the webapp's log in the log dir" test -f "$STATE/log/webapp/current"
check "svlogd keeps nginx's log in the log dir" test -f "$STATE/log/nginx/current"
check_contains "a runsv supervises each service" "$(ps -o args= --ppid "$runsvdir_pid")" "runsv nginx"

# stop, then reload a stopped service (LSB 7), start again.
check "stop the webapp" nixproc stop webapp
check "it is down" port_closed "$W"
check_contains "status says stopped" "$(nixproc status webapp)" "stopped"
nixproc reload webapp >/dev/null 2>&1
check_equal "reload of a stopped service exits 7" "$?" 7
check "start it again" nixproc start webapp
wait_for_port "$W"
check "reload nginx (HUP)" nixproc reload nginx

check "undeploy" switch --undeploy
check "runsvdir is gone" test ! -e "/proc/$runsvdir_pid/cmdline" -o -z "$(tr -d '\0' <"/proc/$runsvdir_pid/cmdline" 2>/dev/null)"
check_equal "no process is left" "$(test_processes | wc -l)" 0
finish
