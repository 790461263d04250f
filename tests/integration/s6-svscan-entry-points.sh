# Part of supervised-webapps.sh s6: deployments into an s6-svscan nixproc's
# switch did not start.

# nixproc-s6-svscan starts the s6-svscan a deployment then uses.
check_equal "nixproc-s6-svscan prints the scan dir" \
  "$(nixproc-s6-svscan --state-dir "$STATE" --force-disable-user-change)" "$SCAN_DIR"
svscan_pid=$(cat "$SCANNER_PID_FILE")
check "it runs" kill -0 "$svscan_pid"
check_fails "a second one in the foreground is refused" \
  nixproc s6-svscan --foreground --state-dir "$STATE" --force-disable-user-change
check "deploy into it" switch --extra-params "$simple_ids" "$EXAMPLES/webapps-agnostic/processes.nix"
check_equal "the deployment used that s6-svscan" "$(cat "$SCANNER_PID_FILE")" "$svscan_pid"
check_contains "and it answers" "$(http_get "$N" webapp.local)" "listening on port: $W"
check "undeploy" switch --undeploy
check_equal "no process is left" "$(test_processes | wc -l)" 0

# An s6-svscan run in the foreground (an entry point) has no PID file: a
# switch finds it through its control FIFO, deploys into it, and the undeploy
# leaves it running.
nixproc s6-svscan --foreground --state-dir "$STATE" --force-disable-user-change &
fg_pid=$!
for i in $(seq 50); do s6-svscanctl -a "$SCAN_DIR" 2>/dev/null && break; sleep 0.1; done
check_contains "nixproc s6-svscan finds it" \
  "$(nixproc s6-svscan --state-dir "$STATE" --force-disable-user-change 2>&1)" "s6-svscan already runs"
check "deploy into the foreground s6-svscan" switch --extra-params "$simple_ids" "$EXAMPLES/webapps-agnostic/processes.nix"
check "no second s6-svscan was started" test ! -e "$SCANNER_PID_FILE"
check_contains "its s6-supervise runs the webapp" "$(ps -o args= --ppid "$fg_pid")" "s6-supervise webapp"
check_contains "nginx answers" "$(http_get "$N" webapp.local)" "listening on port: $W"
check "undeploy" switch --undeploy
check "the foreground s6-svscan still runs" kill -0 "$fg_pid"
kill -TERM "$fg_pid"
wait "$fg_pid"
check_equal "no process is left" "$(test_processes | wc -l)" 0
