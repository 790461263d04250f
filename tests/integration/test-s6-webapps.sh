#!/bin/bash
# The example system deployed as s6 service directories, unprivileged: one
# s6-svscan for the state dir, started by the first switch and stopped by the
# undeploy; an s6-supervise and an s6-log per service; PIDs come from
# s6-svstat. A daemon-only process reports readiness through the
# notification fd (nixproc-foreground-proxy).
. "$(dirname "$0")/lib.sh"
command -v s6-svscan >/dev/null || { echo "s6 is not installed"; exit 77; }
PM=s6
PID_FROM_STATUS=1
. "$(dirname "$0")/webapps.sh"
check "s6-svscan stopped with the last service" test ! -e "$STATE/run/nixproc-s6-svscan.pid"
check_equal "no service directory is left" "$(ls -A "$STATE/lib/nixproc-s6/sv" "$STATE/run/nixproc-s6/service")" \
  "$(printf '%s:\n\n%s:' "$STATE/lib/nixproc-s6/sv" "$STATE/run/nixproc-s6/service")"

# A killed service shows up in the status, and s6-supervise restarts it.
check "deploy again" switch --extra-params "$simple_ids" "$EXAMPLES/webapps-agnostic/processes.nix"
wait_for_port "$N"
svscan_pid=$(cat "$STATE/run/nixproc-s6-svscan.pid")
check "s6-svscan runs" kill -0 "$svscan_pid"
old=$(status_pid webapp)
check "the webapp has a PID" test -n "$old"
check_equal "s6-svstat names its keeper" "$(s6-svstat -o pid "$STATE/lib/nixproc-s6/sv/webapp")" "$(parent_pid "$old")"
kill -KILL "$old"
for i in $(seq 50); do
  new=$(status_pid webapp)
  [ -n "$new" ] && [ "$new" != "$old" ] && break
  sleep 0.1
done
check "s6-supervise restarted the killed webapp" test -n "$new" -a "$new" != "$old"
wait_for_port "$W"
check_contains "it answers again" "$(http_get "$N" webapp.local)" "listening on port: $W"
check "s6-log keeps the webapp's log in the log dir" test -f "$STATE/log/webapp/current"
check "s6-log keeps nginx's log in the log dir" test -f "$STATE/log/nginx/current"
check_contains "an s6-supervise watches each service" "$(ps -o args= --ppid "$svscan_pid")" "s6-supervise nginx"

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

# A daemon-only process (the webapp with -D and no foreground form) runs
# through the proxy, which reports readiness on the notification fd.
cat >"$TEST_DIR/daemon.json" <<JSON
{"d": {"pkg": {"instanceName": "d", "daemon": "$NIXPROC_BIN/webapp", "daemonArgs": ["-D"],
               "environment": {"PORT": "$W", "PID_FILE": "$STATE/run/d.pid"},
               "pidFile": "$STATE/run/d.pid"}}}
JSON
check "deploy a daemon-only process" switch "$TEST_DIR/daemon.json"
check "it answers" http_get "$W"
check_equal "s6 has it up and ready" "$(s6-svstat -o up,ready "$STATE/lib/nixproc-s6/sv/d")" "true true"
check_equal "the notification fd is declared" "$(cat "$STATE/lib/nixproc-s6/sv/d/notification-fd")" 3
check_contains "status shows the daemon" "$(readlink /proc/"$(status_pid d)"/exe)" "webapp"
supervised=$(s6-svstat -o pid "$STATE/lib/nixproc-s6/sv/d")
check_contains "s6 supervises its keeper" "$(tr '\0' ' ' </proc/"$supervised"/cmdline)" "nixproc-foreground-proxy"
check_equal "the daemon wrote its PID file" "$(live_pid "$STATE/run/d.pid")" "$(status_pid d)"
check "undeploy" switch --undeploy
check "the daemon is gone" port_closed "$W"
check "s6-svscan is gone" test ! -e "/proc/$svscan_pid/cmdline" -o -z "$(tr -d '\0' <"/proc/$svscan_pid/cmdline" 2>/dev/null)"
check_equal "no process is left" "$(test_processes | wc -l)" 0

# nixproc-s6-svscan starts the s6-svscan a deployment then uses.
check_equal "nixproc-s6-svscan prints the scan dir" \
  "$(nixproc-s6-svscan --state-dir "$STATE" --force-disable-user-change)" "$STATE/run/nixproc-s6/service"
svscan_pid=$(cat "$STATE/run/nixproc-s6-svscan.pid")
check "it runs" kill -0 "$svscan_pid"
check_fails "a second one in the foreground is refused" \
  nixproc s6-svscan --foreground --state-dir "$STATE" --force-disable-user-change
check "deploy into it" switch --extra-params "$simple_ids" "$EXAMPLES/webapps-agnostic/processes.nix"
check_equal "the deployment used that s6-svscan" "$(cat "$STATE/run/nixproc-s6-svscan.pid")" "$svscan_pid"
check_contains "and it answers" "$(http_get "$N" webapp.local)" "listening on port: $W"
check "undeploy" switch --undeploy
check_equal "no process is left" "$(test_processes | wc -l)" 0

# An s6-svscan run in the foreground (an entry point) has no PID file: a
# switch finds it through its control FIFO, deploys into it, and the undeploy
# leaves it running.
nixproc s6-svscan --foreground --state-dir "$STATE" --force-disable-user-change &
fg_pid=$!
for i in $(seq 50); do s6-svscanctl -a "$STATE/run/nixproc-s6/service" 2>/dev/null && break; sleep 0.1; done
check_contains "nixproc s6-svscan finds it" \
  "$(nixproc s6-svscan --state-dir "$STATE" --force-disable-user-change 2>&1)" "s6-svscan already runs"
check "deploy into the foreground s6-svscan" switch --extra-params "$simple_ids" "$EXAMPLES/webapps-agnostic/processes.nix"
check "no second s6-svscan was started" test ! -e "$STATE/run/nixproc-s6-svscan.pid"
check_contains "its s6-supervise runs the webapp" "$(ps -o args= --ppid "$fg_pid")" "s6-supervise webapp"
check_contains "nginx answers" "$(http_get "$N" webapp.local)" "listening on port: $W"
check "undeploy" switch --undeploy
check "the foreground s6-svscan still runs" kill -0 "$fg_pid"
kill -TERM "$fg_pid"
wait "$fg_pid"
check_equal "no process is left" "$(test_processes | wc -l)" 0
finish
