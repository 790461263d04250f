#!/bin/bash
# The systemd and launchd backends where neither manager runs: recording
# stand-ins for systemctl and launchctl, and the exact commands a first
# deploy, an upgrade of one instance, a rollback and an undeploy run. Every
# generated unit passes `systemd-analyze verify`; every property list is
# read by plistlib and plistutil.
. "$(dirname "$0")/lib.sh"

# `systemctl show` answers like a running unit; everything else just records.
stand_in systemctl 'case $* in *show*) printf "MainPID=4242\nActiveState=active\n" ;; esac'
stand_in launchctl 'case $1 in list) printf "{\n\t\"Label\" = \"%s\";\n\t\"PID\" = 4343;\n};\n" "$2" ;; esac'
export SYSTEMD_TARGET_DIR=$TEST_DIR/systemd/system
export LAUNCHD_TARGET_DIR=$TEST_DIR/LaunchDaemons
model=$EXAMPLES/webapps-agnostic/processes.nix
ids() { echo "{\"ids\": {\"webappPorts\": {\"webapp\": 5000}, \"nginxPorts\": {\"nginx\": $1}}}"; }
switch() {  # switch PM PROFILE ARGS...
  nixproc switch -P "$1" -p "$2" --state-dir "$STATE" --force-disable-user-change --jobs 1 "${@:3}"
}
webapp_unit=nix-process-webapp.service
nginx_unit=nix-process-nginx.service
# After each start nixproc asks systemd, every 100 ms for a second, whether
# the unit is still active with the same main PID, and after each stop
# whether it failed (to reset it): one line for each here.
settled() { recorded | uniq; }
show() { echo "systemctl ${2:+[$2] }[show] [--property=MainPID,ActiveState] [$1]"; }

# --- systemd, system units
check "systemd: first deploy" switch systemd sd --extra-params "$(ids 8080)" "$model"
check_equal "systemd: first deploy commands" "$(settled)" "systemctl [daemon-reload]
systemctl [start] [$webapp_unit]
$(show $webapp_unit)
systemctl [start] [$nginx_unit]
$(show $nginx_unit)"
profile=$(readlink -f "$NIXPROC_HOME/profiles/sd" 2>/dev/null || true)
check_equal "systemd: the target dir holds the units and nginx's .wants" \
  "$(cd "$SYSTEMD_TARGET_DIR" && find . | sort | tr '\n' ' ')" \
  ". ./$nginx_unit ./$nginx_unit.wants ./$nginx_unit.wants/$webapp_unit ./$webapp_unit "
check_equal "systemd: .wants points at the sibling unit" \
  "$(readlink "$SYSTEMD_TARGET_DIR/$nginx_unit.wants/$webapp_unit")" "../$webapp_unit"
check_contains "systemd: nginx wants and follows the webapp" "$(cat "$SYSTEMD_TARGET_DIR/$nginx_unit")" \
  "Wants=$webapp_unit
After=$webapp_unit"
check_contains "systemd: nginx runs in the foreground" "$(cat "$SYSTEMD_TARGET_DIR/$nginx_unit")" \
  '"-g" "daemon off;"'
if command -v systemd-analyze >/dev/null; then
  out=$(systemd-analyze verify --man=no "$SYSTEMD_TARGET_DIR"/*.service 2>&1)
  check_equal "systemd: systemd-analyze verify accepts every unit" "$out" ""
fi
check_contains "systemd: status from systemctl show" "$(nixproc status -p sd)" "running"
check_contains "systemd: status names the main PID" "$(nixproc status -p sd)" "4242"
recorded >/dev/null
old_nginx=$(readlink "$SYSTEMD_TARGET_DIR/$nginx_unit")

check "systemd: upgrade nginx only" switch systemd sd --extra-params "$(ids 8081)" "$model"
check_equal "systemd: only nginx restarts" "$(settled)" "systemctl [stop] [$nginx_unit]
$(show $nginx_unit)
systemctl [daemon-reload]
systemctl [start] [$nginx_unit]
$(show $nginx_unit)"
check "systemd: nginx's link points at the new unit" \
  test "$(readlink "$SYSTEMD_TARGET_DIR/$nginx_unit")" != "$old_nginx"
check_contains "systemd: the new unit has the new port" \
  "$(cat "$(readlink "$SYSTEMD_TARGET_DIR/$nginx_unit")" "$(grep -o '"-c" "[^"]*"' "$SYSTEMD_TARGET_DIR/$nginx_unit" | cut -d'"' -f4)")" \
  "8081"

check "systemd: roll back" switch systemd sd --rollback
check_equal "systemd: rollback restarts nginx only" "$(settled)" "systemctl [stop] [$nginx_unit]
$(show $nginx_unit)
systemctl [daemon-reload]
systemctl [start] [$nginx_unit]
$(show $nginx_unit)"
check_equal "systemd: the old nginx unit is back" "$(readlink "$SYSTEMD_TARGET_DIR/$nginx_unit")" "$old_nginx"

check "systemd: nothing changed, nothing restarted" switch systemd sd --extra-params "$(ids 8080)" "$model"
check_equal "systemd: an unchanged switch only reloads" "$(recorded)" "systemctl [daemon-reload]"

check "systemd: activities map to systemctl" nixproc restart -p sd nginx
check_equal "systemd: restart" "$(recorded)" "systemctl [restart] [$nginx_unit]"

touch "$SYSTEMD_TARGET_DIR/other.service"
check "systemd: undeploy" switch systemd sd --undeploy
check_equal "systemd: undeploy stops dependants first" "$(settled)" "systemctl [stop] [$nginx_unit]
$(show $nginx_unit)
systemctl [stop] [$webapp_unit]
$(show $webapp_unit)
systemctl [daemon-reload]"
check_equal "systemd: only units of others are left" "$(ls -A "$SYSTEMD_TARGET_DIR")" "other.service"

# --- systemd, user units in the user's config dir
unset SYSTEMD_TARGET_DIR
export XDG_CONFIG_HOME=$TEST_DIR/config
check "systemd --user: deploy" switch systemd sd-user --user --extra-params "$(ids 8080)" "$model"
check_equal "systemd --user: commands" "$(settled)" "systemctl [--user] [daemon-reload]
systemctl [--user] [start] [$webapp_unit]
$(show $webapp_unit --user)
systemctl [--user] [start] [$nginx_unit]
$(show $nginx_unit --user)"
check "systemd --user: units in \$XDG_CONFIG_HOME/systemd/user" \
  test -L "$XDG_CONFIG_HOME/systemd/user/$nginx_unit"
check "systemd --user: undeploy" switch systemd sd-user --user --undeploy
check_equal "systemd --user: undeploy commands" "$(settled)" "systemctl [--user] [stop] [$nginx_unit]
$(show $nginx_unit --user)
systemctl [--user] [stop] [$webapp_unit]
$(show $webapp_unit --user)
systemctl [--user] [daemon-reload]"
check_equal "systemd --user: nothing left" "$(ls -A "$XDG_CONFIG_HOME/systemd/user")" ""

# --- launchd
plist_dir=$LAUNCHD_TARGET_DIR
switch launchd ld --extra-params "$(ids 8080)" "$model" 2>"$TEST_DIR/launchd.err"
check_equal "launchd: first deploy succeeds" "$?" 0
check_contains "launchd: warns that dependencies cannot be ordered" "$(cat "$TEST_DIR/launchd.err")" \
  "launchd has no notion of process dependencies; nginx may start before webapp"
check_equal "launchd: first deploy commands" "$(recorded)" "launchctl [load] [-w] [$plist_dir/org.nixos.webapp.plist]
launchctl [start] [org.nixos.webapp]
launchctl [load] [-w] [$plist_dir/org.nixos.nginx.plist]
launchctl [start] [org.nixos.nginx]"
check "launchd: plists are copied, not linked" test -f "$plist_dir/org.nixos.nginx.plist" -a ! -L "$plist_dir/org.nixos.nginx.plist"
for plist in "$plist_dir"/*.plist; do
  check "launchd: plistlib reads $(basename "$plist")" python3 -c 'import plistlib, sys; plistlib.load(open(sys.argv[1], "rb"))' "$plist"
  if command -v plistutil >/dev/null; then
    rm -f "$TEST_DIR/converted"
    plistutil -i "$plist" -o "$TEST_DIR/converted" 2>/dev/null
    check "launchd: plistutil converts $(basename "$plist")" test -s "$TEST_DIR/converted"
  fi
done
check_equal "launchd: the webapp's plist" "$(python3 - "$plist_dir/org.nixos.webapp.plist" <<'PY'
import plistlib, sys
p = plistlib.load(open(sys.argv[1], "rb"))
print(p["Label"], p["Program"].endswith("/webapp"), "ProgramArguments" in p, p["EnvironmentVariables"]["PORT"], "UserName" in p)
PY
)" "org.nixos.webapp True False 5000 False"
check_contains "launchd: nginx's initialize runs in a wrapper" \
  "$(python3 -c 'import plistlib, sys; print(open(plistlib.load(open(sys.argv[1], "rb"))["Program"]).read())' "$plist_dir/org.nixos.nginx.plist")" \
  "mkdir -p"
check_contains "launchd: status from launchctl list" "$(nixproc status -p ld)" "4343"
recorded >/dev/null

check "launchd: upgrade nginx only" switch launchd ld --extra-params "$(ids 8081)" "$model"
check_equal "launchd: only nginx is reloaded" "$(recorded)" "launchctl [stop] [org.nixos.nginx]
launchctl [unload] [$plist_dir/org.nixos.nginx.plist]
launchctl [load] [-w] [$plist_dir/org.nixos.nginx.plist]
launchctl [start] [org.nixos.nginx]"
check "launchd: roll back" switch launchd ld --rollback
check_equal "launchd: rollback reloads nginx only" "$(recorded)" "launchctl [stop] [org.nixos.nginx]
launchctl [unload] [$plist_dir/org.nixos.nginx.plist]
launchctl [load] [-w] [$plist_dir/org.nixos.nginx.plist]
launchctl [start] [org.nixos.nginx]"
check "launchd: undeploy" switch launchd ld --undeploy
check_equal "launchd: undeploy commands" "$(recorded)" "launchctl [stop] [org.nixos.nginx]
launchctl [unload] [$plist_dir/org.nixos.nginx.plist]
launchctl [stop] [org.nixos.webapp]
launchctl [unload] [$plist_dir/org.nixos.webapp.plist]"
check_equal "launchd: no plist is left" "$(ls -A "$plist_dir")" ""

# A failing launchctl fails the switch with its message, and the profile stays.
stand_in launchctl 'echo "launchctl: no such job" >&2; exit 3'
out=$(switch launchd ld --extra-params "$(ids 8080)" "$model" 2>&1)
check_equal "launchd: a failing launchctl fails the switch" "$?" 1
check_contains "launchd: the error names the instance and command" "$out" "instance webapp: \`launchctl load -w"
check_contains "launchd: and launchctl's message" "$out" "no such job"
finish
