#!/bin/bash
# The example system under a real systemd user manager (`systemd --user`),
# started for this test in its own mount namespace: deploy, route through
# nginx, upgrade one instance (the other keeps its PID), hostile strings
# into a process's argv and environment, undeploy.
. "$(dirname "$0")/lib.sh"
[ -x /lib/systemd/systemd ] && command -v systemctl >/dev/null ||
  { echo "systemd is not installed"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "needs root for a private mount namespace"; exit 77; }
# Inside run-isolated.sh's namespaces already; otherwise make our own.
if [ -z "${NIXPROC_SYSTEMD_NAMESPACE:-}" ]; then
  export NIXPROC_SYSTEMD_NAMESPACE=1
  trap - EXIT
  rm -rf "$TEST_DIR"
  exec unshare --mount --pid --fork --kill-child --mount-proc bash "$0"
fi

# systemd --user refuses to run unless the system was booted with systemd;
# that is what /run/systemd/system says, here only in this namespace.
mount -t tmpfs tmpfs /run/systemd 2>/dev/null || mount -t tmpfs tmpfs /run
mkdir -p /run/systemd/system
export XDG_RUNTIME_DIR=$TEST_DIR/xdg-runtime XDG_CONFIG_HOME=$TEST_DIR/config
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# The user manager makes its slices below its own cgroup: one of this test's,
# removed at the end, so nothing is left in the host's cgroup tree.
cgroups=()
while IFS=: read -r _ controllers path; do
  if [ -z "$controllers" ]; then candidates=(/sys/fs/cgroup/unified /sys/fs/cgroup); else
    candidates=("/sys/fs/cgroup/${controllers#name=}"); fi
  for hierarchy in "${candidates[@]}"; do
    [ -e "$hierarchy/cgroup.procs" ] || continue
    mkdir "$hierarchy${path%/}/nixproc-it-$$" && cgroups+=("$hierarchy${path%/}/nixproc-it-$$")
    break
  done
done </proc/self/cgroup
remove_cgroups() {
  local dir
  for dir in "${cgroups[@]}"; do find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null; done
}
(
  for dir in "${cgroups[@]}"; do echo "$BASHPID" >"$dir/cgroup.procs"; done
  exec /lib/systemd/systemd --user >"$TEST_DIR/systemd.log" 2>&1
) &
manager=$!
for i in $(seq 100); do
  state=$(systemctl --user is-system-running 2>/dev/null) && break
  case $state in running | degraded) break ;; esac
  sleep 0.1
done
case $state in
running | degraded) ;;
*)
  echo "systemd --user did not start here ($state): $(tail -3 "$TEST_DIR/systemd.log")"
  exit 77
  ;;
esac
stop_manager() {
  kill "$manager" 2>/dev/null
  wait "$manager" 2>/dev/null
  cleanup
  remove_cgroups
}
trap stop_manager EXIT

switch() { nixproc switch -P systemd --user --state-dir "$STATE" --force-disable-user-change "$@"; }
W=$(free_port) N=$(free_port) N2=$(free_port)
ids() { echo "{\"ids\": {\"webappPorts\": {\"webapp\": $W}, \"nginxPorts\": {\"nginx\": $1}}}"; }
main_pid() { systemctl --user show --property=MainPID --value "nix-process-$1.service"; }

check "deploy processes.nix to systemd --user" switch --extra-params "$(ids "$N")" \
  "$EXAMPLES/webapps-agnostic/processes.nix"
wait_for_port "$N"
check_contains "nginx routes webapp.local to the webapp" "$(http_get "$N" webapp.local)" "listening on port: $W"
check_equal "systemd knows the webapp as active" \
  "$(systemctl --user is-active nix-process-webapp.service)" "active"
check_equal "nixproc status --user reports the main PID" \
  "$(nixproc status --user webapp | awk '$1 == "webapp" && $2 == "running" { print $3 }')" \
  "$(main_pid webapp)"
webapp_before=$(main_pid webapp)
nginx_before=$(main_pid nginx)

check "upgrade: nginx on another port" switch --extra-params "$(ids "$N2")" \
  "$EXAMPLES/webapps-agnostic/processes.nix"
wait_for_port "$N2"
check_contains "nginx answers on its new port" "$(http_get "$N2" webapp.local)" "listening on port: $W"
check "the old port is closed" port_closed "$N"
check_equal "the webapp kept its PID" "$(main_pid webapp)" "$webapp_before"
check "nginx was restarted" test "$(main_pid nginx)" != "$nginx_before"

check "roll back" switch --rollback
wait_for_port "$N"
check_contains "nginx is back on its first port" "$(http_get "$N" webapp.local)" "listening on port: $W"
check_equal "the webapp still kept its PID" "$(main_pid webapp)" "$webapp_before"

# Hostile strings reach argv and the environment exactly, through systemd's
# quoting, % specifiers and $ expansion.
recorder=$TEST_DIR/record.py
cat >"$recorder" <<'PY'
import json, os, sys
json.dump({"argv": sys.argv[1:], "env": {k: v for k, v in os.environ.items() if k.startswith("V")}},
          open(os.environ["RECORD"], "w"))
import time
time.sleep(600)
PY
python3 - "$TEST_DIR/hostile.json" "$recorder" "$TEST_DIR/record.json" <<'PY'
import json, sys
hostile = ["it's", 'say "hi"', "$HOME and ${PATH}", "back\\slash", "two  spaces", "new\nline",
           "100% %s %(x)s %n %%", "`uname`", "semi;colon && || |", ";", "*?[a]", "", "tab\there",
           "ünïcödé", "<&>"]
env = {"V%d" % i: s for i, s in enumerate(hostile)}
env["RECORD"] = sys.argv[3]
model = {"h": {"pkg": {"instanceName": "h", "foregroundProcess": "/usr/bin/python3",
                       "args": [sys.argv[2]] + hostile, "environment": env,
                       "description": "100% \"hostile\" $HOME"}}}
json.dump(model, open(sys.argv[1], "w"))
json.dump({"argv": hostile, "env": {k: v for k, v in env.items() if k.startswith("V")}},
          open(sys.argv[1] + ".expected", "w"), sort_keys=True)
PY
check "deploy a process with hostile arguments" switch "$TEST_DIR/hostile.json"
for i in $(seq 50); do [ -s "$TEST_DIR/record.json" ] && break; sleep 0.1; done
check_equal "argv and environment arrive unchanged" \
  "$(python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1])), sort_keys=True))' "$TEST_DIR/record.json")" \
  "$(cat "$TEST_DIR/hostile.json.expected")"
check_equal "the description too" \
  "$(systemctl --user show --property=Description --value nix-process-h.service)" '100% "hostile" $HOME'

# A process that exits right after it starts fails the switch, which is
# undone: systemd reports a simple service started as soon as it forked.
generations=$(switch --list-generations)
h_before=$(main_pid h)
with_instance "$TEST_DIR/hostile.json" "$TEST_DIR/exits.json" x \
  '{"instanceName": "x", "foregroundProcess": "/bin/sh", "args": ["-c", "exit 3"]}'
output=$(switch "$TEST_DIR/exits.json" 2>&1)
check "a process that exits at once fails the switch" test $? -ne 0
check_contains "it says so" "$output" "ended right after it started"
check_contains "and the switch is undone" "$output" "previous deployment was restored"
check_equal "the generations are unchanged" "$(switch --list-generations)" "$generations"
check_equal "the running process was not touched" "$(main_pid h)" "$h_before"

check "undeploy" switch --undeploy
check "the nginx port is closed" port_closed "$N"
check "the webapp port is closed" port_closed "$W"
check_equal "no unit is left in the user's unit dir" "$(ls -A "$XDG_CONFIG_HOME/systemd/user")" ""
check_equal "systemd forgot the units" \
  "$(systemctl --user list-units --all --no-legend 'nix-process-*' | wc -l)" 0
finish
