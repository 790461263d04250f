#!/bin/bash
# The example system deployed as service directories under a supervision
# suite, unprivileged: usage supervised-webapps.sh s6|runit. One scanner
# (s6-svscan, runsvdir) for the state dir, started by the first switch and
# stopped by the undeploy; a supervisor (s6-supervise, runsv) and a logger
# (s6-log, svlogd) per service; PIDs come from the supervisor's status tool.
# s6 only: a daemon-only process reports readiness through the notification
# fd (nixproc-foreground-proxy), and nixproc-s6-svscan / a foreground
# s6-svscan are deployed into.
. "$(dirname "$0")/lib.sh"
PM=$1
case $PM in
  s6)
    command -v s6-svscan >/dev/null || { echo "s6 is not installed"; exit 77; }
    SCANNER=s6-svscan SUPERVISOR=s6-supervise LOGGER=s6-log STATUS_TOOL=s6-svstat
    SUPERVISES="an s6-supervise watches each service"
    supervisor_pid() { s6-svstat -o pid "$1"; } ;;
  runit)
    command -v runsvdir >/dev/null || { echo "runit is not installed"; exit 77; }
    SCANNER=runsvdir SUPERVISOR=runsv LOGGER=svlogd STATUS_TOOL="sv status"
    SUPERVISES="a runsv supervises each service"
    supervisor_pid() { sv status "$1" | sed -n 's/^run: [^(]*(pid \([0-9]*\)).*/\1/p'; } ;;
  *) echo "usage: $0 s6|runit"; exit 2 ;;
esac
SCANNER_PID_FILE=$STATE/run/nixproc-$SCANNER.pid
SV=$STATE/lib/nixproc-$PM/sv
SCAN_DIR=$STATE/run/nixproc-$PM/service
PID_FROM_STATUS=1
. "$(dirname "$0")/webapps.sh"
check "$SCANNER stopped with the last service" test ! -e "$SCANNER_PID_FILE"
check_equal "no service directory is left" "$(ls -A "$SV" "$SCAN_DIR")" "$(printf '%s:\n\n%s:' "$SV" "$SCAN_DIR")"

# A killed service shows up in the status, and its supervisor restarts it.
check "deploy again" switch --extra-params "$simple_ids" "$EXAMPLES/webapps-agnostic/processes.nix"
wait_for_port "$N"
scanner_pid=$(cat "$SCANNER_PID_FILE")
check "$SCANNER runs" kill -0 "$scanner_pid"
old=$(status_pid webapp)
check "the webapp has a PID" test -n "$old"
check_equal "$STATUS_TOOL names its keeper" "$(supervisor_pid "$SV/webapp")" "$(parent_pid "$old")"
kill -KILL "$old"
for i in $(seq 50); do
  new=$(status_pid webapp)
  [ -n "$new" ] && [ "$new" != "$old" ] && break
  sleep 0.1
done
check "$SUPERVISOR restarted the killed webapp" test -n "$new" -a "$new" != "$old"
wait_for_port "$W"
check_contains "it answers again" "$(http_get "$N" webapp.local)" "listening on port: $W"
check "$LOGGER keeps the webapp's log in the log dir" test -f "$STATE/log/webapp/current"
check "$LOGGER keeps nginx's log in the log dir" test -f "$STATE/log/nginx/current"
check_contains "$SUPERVISES" "$(ps -o args= --ppid "$scanner_pid")" "$SUPERVISOR nginx"

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

if [ "$PM" = s6 ]; then
  # A daemon-only process (the webapp with -D and no foreground form) runs
  # through the proxy, which reports readiness on the notification fd.
  cat >"$TEST_DIR/daemon.json" <<JSON
{"d": {"pkg": {"instanceName": "d", "daemon": "$NIXPROC_BIN/webapp", "daemonArgs": ["-D"],
               "environment": {"PORT": "$W", "PID_FILE": "$STATE/run/d.pid"},
               "pidFile": "$STATE/run/d.pid"}}}
JSON
  check "deploy a daemon-only process" switch "$TEST_DIR/daemon.json"
  check "it answers" http_get "$W"
  check_equal "s6 has it up and ready" "$(s6-svstat -o up,ready "$SV/d")" "true true"
  check_equal "the notification fd is declared" "$(cat "$SV/d/notification-fd")" 3
  check_contains "status shows the daemon" "$(readlink /proc/"$(status_pid d)"/exe)" "webapp"
  supervised=$(s6-svstat -o pid "$SV/d")
  check_contains "s6 supervises its keeper" "$(tr '\0' ' ' </proc/"$supervised"/cmdline)" "nixproc-foreground-proxy"
  check_equal "the daemon wrote its PID file" "$(live_pid "$STATE/run/d.pid")" "$(status_pid d)"
  check "undeploy" switch --undeploy
  check "the daemon is gone" port_closed "$W"
fi
check "$SCANNER is gone" test ! -e "/proc/$scanner_pid/cmdline" -o -z "$(tr -d '\0' <"/proc/$scanner_pid/cmdline" 2>/dev/null)"
check_equal "no process is left" "$(test_processes | wc -l)" 0
if [ "$PM" = s6 ]; then . "$(dirname "$0")/s6-svscan-entry-points.sh"; fi
finish
