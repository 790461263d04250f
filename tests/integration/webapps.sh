# The example web application system under one process manager ($PM):
# deploy, route through nginx, upgrade with PID checks, add and remove an
# instance, roll back, act on single instances, undeploy. Sourced by the
# test-<pm>-webapps.sh scripts after lib.sh.

switch() { nixproc switch -P "$PM" --state-dir "$STATE" --force-disable-user-change "$@"; }

ports=()
for i in 0 1 2 3 4 5 6 7 8 9; do ports+=("$(free_port)"); done
W=${ports[0]} N=${ports[1]}
W1=${ports[2]} W2=${ports[3]} W3=${ports[4]} W4=${ports[5]} W5=${ports[6]} W6=${ports[7]}
N1=${ports[8]} N2=${ports[9]}
ids() {  # ids WEBAPP5_PORT
  cat <<JSON
{"ids": {"webappPorts": {"webapp": $W, "webapp1": $W1, "webapp2": $W2, "webapp3": $W3,
                         "webapp4": $W4, "webapp5": $1, "webapp6": $W6},
         "nginxPorts": {"nginx": $N1, "nginx2": $N2}}}
JSON
}
simple_ids="{\"ids\": {\"webappPorts\": {\"webapp\": $W}, \"nginxPorts\": {\"nginx\": $N}}}"

# PIDs come from the PID files the daemons write, or, for supervising
# backends (PID_FROM_STATUS=1), from the manager's own status.
if [ -n "${PID_FROM_STATUS:-}" ]; then
  webapp_pid() { status_pid "$1"; }
  nginx_pid() { status_pid "$1"; }
else
  webapp_pid() { live_pid "$STATE/tmp/$1.pid"; }
  nginx_pid() { live_pid "$STATE/run/$1.pid"; }
fi

# --- the simple system
check "deploy processes.nix" switch --extra-params "$simple_ids" "$EXAMPLES/webapps-agnostic/processes.nix"
wait_for_port "$N"
check_contains "nginx routes webapp.local to the webapp" "$(http_get "$N" webapp.local)" "listening on port: $W"
check_contains "the fallback server answers unknown hosts" \
  "$(curl -s --max-time 5 -H 'Host: nothere.local' "http://127.0.0.1:$N/")" "unavailable"
check "status reports everything running" nixproc status
check_equal "one generation" "$(switch --list-generations | wc -l)" 1

# --- upgrade to the advanced system: webapp removed, nginx changed, 7 added
check "switch to processes-advanced.nix" switch --extra-params "$(ids "$W5")" \
  "$EXAMPLES/webapps-agnostic/processes-advanced.nix"
wait_for_port "$N2"
check_contains "webapp1.local through nginx" "$(http_get "$N1" webapp1.local)" "listening on port: $W1"
check_contains "webapp5.local through nginx2" "$(http_get "$N2" webapp5.local)" "listening on port: $W5"
check "the removed webapp is stopped" port_closed "$W"
check "the old nginx port is closed" port_closed "$N"

declare -A before
for name in webapp1 webapp2 webapp3 webapp4 webapp5 webapp6; do before[$name]=$(webapp_pid "$name"); done
before[nginx]=$(nginx_pid nginx)
before[nginx2]=$(nginx_pid nginx2)

# --- change one webapp's port: only it and the proxy in front of it restart
W5b=$(free_port)
check "switch with webapp5 on another port" switch --extra-params "$(ids "$W5b")" \
  "$EXAMPLES/webapps-agnostic/processes-advanced.nix"
wait_for_port "$W5b"
check_contains "webapp5 answers on its new port through nginx2" "$(http_get "$N2" webapp5.local)" \
  "listening on port: $W5b"
for name in webapp1 webapp2 webapp3 webapp4 webapp6; do
  check_equal "$name kept its PID" "$(webapp_pid "$name")" "${before[$name]}"
done
check_equal "nginx kept its PID" "$(nginx_pid nginx)" "${before[nginx]}"
check "webapp5 was restarted" test "$(webapp_pid webapp5)" != "${before[webapp5]}"
check "nginx2 was restarted" test "$(nginx_pid nginx2)" != "${before[nginx2]}"

# --- remove one instance, through the JSON form of the same model
model_json=$TEST_DIR/advanced.json
nixproc build -P none --no-out-link --state-dir "$STATE" --force-disable-user-change \
  --extra-params "$(ids "$W5b")" "$EXAMPLES/webapps-agnostic/processes-advanced.nix" >"$TEST_DIR/none.out"
check "build -P none writes processes.json" test -f "$(cat "$TEST_DIR/none.out")/processes.json"
python3 - "$(cat "$TEST_DIR/none.out")/processes.json" "$model_json" <<'PY'
import json, sys
model = json.load(open(sys.argv[1]))
del model["webapp4"]
nginx = model["nginx"]["pkg"]
nginx["dependencies"] = [d for d in nginx["dependencies"] if d != "webapp4"]
json.dump(model, open(sys.argv[2], "w"), indent=2)
PY
before[webapp1]=$(webapp_pid webapp1)
before[nginx2]=$(nginx_pid nginx2)
check "switch to the JSON model without webapp4" switch "$model_json"
check "webapp4 is stopped" port_closed "$W4"
check_equal "webapp1 kept its PID" "$(webapp_pid webapp1)" "${before[webapp1]}"
check_equal "nginx2 kept its PID" "$(nginx_pid nginx2)" "${before[nginx2]}"
check_contains "webapp1.local still answers" "$(http_get "$N1" webapp1.local)" "listening on port: $W1"

# --- rollback: webapp4 returns
check "rollback" switch --rollback
wait_for_port "$W4"
check_contains "webapp4 answers again after the rollback" "$(http_get "$N1" webapp4.local)" \
  "listening on port: $W4"
check_equal "webapp1 survived the rollback" "$(webapp_pid webapp1)" "${before[webapp1]}"
check_equal "the rollback is a new generation" "$(switch --list-generations | wc -l)" 5

# --- activities on single instances and on everything
check "stop webapp2" nixproc stop webapp2
check "webapp2 is down" port_closed "$W2"
check_fails "status fails while webapp2 is down" nixproc status
check_contains "status names the stopped instance" "$(nixproc status webapp2)" "stopped"
check "start webapp2" nixproc start webapp2
wait_for_port "$W2"
check "status is back to running" nixproc status
check_fails "an unknown name is an error" nixproc start no-such-instance

# --- undeploy
check "undeploy" switch --undeploy
for port in "$W1" "$W2" "$W3" "$W4" "$W5b" "$W6" "$N1" "$N2"; do
  check "port $port is closed after undeploy" port_closed "$port"
done
check_equal "no process is left" "$(test_processes | wc -l)" 0
check "delete all generations" switch --delete-all-generations
check_equal "no generations are left" "$(switch --list-generations | wc -l)" 0
