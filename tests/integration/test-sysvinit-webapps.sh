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

# The same system written with createSystemVInitScript directly.
check "deploy webapps-sysvinit/processes.nix" switch --extra-params "$simple_ids" \
  "$EXAMPLES/webapps-sysvinit/processes.nix"
wait_for_port "$N"
check_contains "the sysvinit-specific system answers" "$(http_get "$N" webapp.local)" "listening on port: $W"
check "switch to webapps-sysvinit/processes-advanced.nix" switch --extra-params "$(ids "$W5")" \
  "$EXAMPLES/webapps-sysvinit/processes-advanced.nix"
wait_for_port "$N2"
check_contains "webapp5 through nginx2" "$(http_get "$N2" webapp5.local)" "listening on port: $W5"
check "the previous webapp is gone" port_closed "$W"

# A model and its JSON form build the same profile.
build() { nixproc build -P sysvinit --no-out-link --state-dir "$STATE" --force-disable-user-change "$@"; }
from_nix=$(build --extra-params "$(ids "$W5")" "$EXAMPLES/webapps-agnostic/processes-advanced.nix")
json_dir=$(nixproc build -P none --no-out-link --state-dir "$STATE" --force-disable-user-change \
  --extra-params "$(ids "$W5")" "$EXAMPLES/webapps-agnostic/processes-advanced.nix")
from_json=$(build "$json_dir/processes.json")
check_equal "the JSON form builds the same profile" "$from_json" "$from_nix"
check "the profile has the init scripts" test -x "$from_nix/etc/rc.d/init.d/webapp1"
check_equal "nginx starts after its webapps" "$(readlink "$from_nix/etc/rc.d/rc3.d/S01nginx")" "../init.d/nginx"
check "build leaves no result link with --no-out-link" test ! -e result
(cd "$TEST_DIR" && nixproc build -P sysvinit --state-dir "$STATE" --force-disable-user-change "$json_dir/processes.json" >/dev/null)
check_equal "build makes a result link by default" "$(readlink "$TEST_DIR/result")" "$from_nix"
check "gc keeps what the result link and the generations use" nixproc gc
check "the built profile survives gc" test -e "$from_nix/manifest.json"
rm "$TEST_DIR/result"
check "undeploy" switch --undeploy
check "delete old generations" switch --delete-generations old
check "gc" nixproc gc
check "the unreferenced profile is collected" test ! -e "$from_nix"
check "the current (empty) generation survives gc" test -e "$(readlink -f "$NIXPROC_HOME/profiles/processes")/manifest.json"
finish
