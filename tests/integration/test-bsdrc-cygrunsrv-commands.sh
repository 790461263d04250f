#!/bin/bash
# bsdrc (FreeBSD rc.d) and cygrunsrv (Windows services) cannot run here, so
# the webapps example is deployed with stand-ins that record what nixproc
# does: for bsdrc a stand-in rc.subr (bsdrc/rc.subr) that records every
# script run and builds the start command as FreeBSD's does, with daemon(8)
# and the started programs recorded instead of run; for cygrunsrv a recording
# cygrunsrv on PATH. The checks are the exact command sequences of a first
# deploy, an upgrade that changes one instance, a rollback and an undeploy,
# the scripts' syntax and rcorder order, and --enable-at-boot's files.
source "$(dirname "$0")/lib.sh"

MODEL=$EXAMPLES/webapps-agnostic/processes.nix
PROFILE=$NIXPROC_HOME/profiles/processes
W=$(free_port)
# webappMode foreground: the webapp runs through daemon(8) under bsdrc.
ids() {
  echo "{\"webappMode\": \"foreground\", \"ids\": {\"webappPorts\": {\"webapp\": $W}, \"nginxPorts\": {\"nginx\": $1}}}"
}
N1=$(free_port)
N2=$(free_port)

# --- bsdrc
{
  echo "rc_test_log=$STAND_IN_LOG"
  echo "rc_test_daemon=$STAND_INS/daemon"
  echo "rc_test_run=$STAND_INS/run"
  cat "$(dirname "$0")/bsdrc/rc.subr"
} >"$TEST_DIR/rc.subr"
stand_in daemon
stand_in run
export NIXPROC_BSDRC_RC_SUBR=$TEST_DIR/rc.subr
export BSDRC_TARGET_DIR=$TEST_DIR/local-rc.d RC_CONF=$TEST_DIR/rc.conf
echo 'sshd_enable="YES"' >"$RC_CONF"
bsdrc() {
  nixproc-bsdrc-switch --state-dir "$STATE" --force-disable-user-change --jobs 1 "$@" >/dev/null
}
# The rc.d lines only: what each script was asked to do, in order.
rc_runs() { recorded | grep '^rc\.d '; }

check "bsdrc: first deploy" bsdrc --enable-at-boot --extra-params "$(ids "$N1")" "$MODEL"
log=$(recorded)
check_equal "bsdrc: first deploy starts webapp through daemon(8) with its PID file, then nginx" \
  "$(head -n 3 <<<"$log")" "rc.d [webapp] [onestart]
daemon [-p] [$STATE/tmp/webapp.pid] [-o] [$STATE/log/nixproc-webapp.log] [$NIXPROC_BIN/webapp]
rc.d [nginx] [onestart]"
check_contains "bsdrc: nginx, a daemon, runs itself" "$(sed -n 4p <<<"$log")" \
  "run [/usr/sbin/nginx] [-p] [$STATE/nginx] [-c] ["
check_equal "bsdrc: nothing else ran" "$(wc -l <<<"$log")" 4
for script in "$PROFILE"/etc/rc.d/*; do
  check "bsdrc: sh -n $(basename "$script")" sh -n "$script"
done
# rcorder: every script after the ones it REQUIREs.
order=$(python3 - "$PROFILE"/etc/rc.d/* <<'PY'
import sys
provides, requires = {}, {}
for path in sys.argv[1:]:
    for line in open(path):
        if line.startswith("# PROVIDE:"):
            provides[path] = line.split(":", 1)[1].split()
        elif line.startswith("# REQUIRE:"):
            requires[path] = line.split(":", 1)[1].split()
provider = {name: path for path, names in provides.items() for name in names}
done, order = set(), []
def visit(path, seen=()):
    if path in done: return
    if path in seen: sys.exit("cycle at " + path)
    for name in requires.get(path, []):
        if name in provider: visit(provider[name], seen + (path,))
    done.add(path); order.append(provides[path][0])
for path in sorted(provides): visit(path)
print(" ".join(order))
PY
)
check_equal "bsdrc: rcorder puts nginx after the webapp" "$order" "webapp nginx"
check_equal "bsdrc: --enable-at-boot links the scripts" \
  "$(readlink "$BSDRC_TARGET_DIR/nginx") $(readlink "$BSDRC_TARGET_DIR/webapp")" \
  "$(readlink -f "$PROFILE/etc/rc.d/nginx") $(readlink -f "$PROFILE/etc/rc.d/webapp")"
check_equal "bsdrc: --enable-at-boot enables them in rc.conf" "$(cat "$RC_CONF")" 'sshd_enable="YES"
webapp_enable="YES"
nginx_enable="YES"'
old_nginx=$(readlink -f "$PROFILE/etc/rc.d/nginx")

check "bsdrc: upgrade (nginx on another port)" bsdrc --enable-at-boot --extra-params "$(ids "$N2")" "$MODEL"
check_equal "bsdrc: the upgrade restarts only nginx" "$(rc_runs)" "rc.d [nginx] [onestop]
rc.d [nginx] [onestart]"
check "bsdrc: nginx's boot link follows the new script" \
  test "$(readlink "$BSDRC_TARGET_DIR/nginx")" = "$(readlink -f "$PROFILE/etc/rc.d/nginx")" -a \
  "$(readlink "$BSDRC_TARGET_DIR/nginx")" != "$old_nginx"

check "bsdrc: rollback" bsdrc --enable-at-boot --rollback
check_equal "bsdrc: the rollback restarts only nginx" "$(rc_runs)" "rc.d [nginx] [onestop]
rc.d [nginx] [onestart]"
check_equal "bsdrc: the old nginx is back" "$(readlink -f "$PROFILE/etc/rc.d/nginx")" "$old_nginx"

# Nothing really runs, so onestatus fails; the order is what counts.
nixproc-bsdrc-runactivity status >/dev/null
check_equal "bsdrc: runactivity runs onestatus in order" "$(rc_runs)" "rc.d [webapp] [onestatus]
rc.d [nginx] [onestatus]"

check "bsdrc: undeploy" bsdrc --enable-at-boot --undeploy
check_equal "bsdrc: undeploy stops nginx, then webapp" "$(rc_runs)" "rc.d [nginx] [onestop]
rc.d [webapp] [onestop]"
check "bsdrc: undeploy removes the boot links" test -z "$(ls -A "$BSDRC_TARGET_DIR")"
check_equal "bsdrc: undeploy keeps only the other rc.conf lines" "$(cat "$RC_CONF")" 'sshd_enable="YES"'
unset NIXPROC_BSDRC_RC_SUBR
nixproc switch -P bsdrc --delete-all-generations >/dev/null

# --- cygrunsrv
stand_in cygrunsrv 'if [ "$1" = --query ]; then printf "Service             : %s\nCurrent State       : Running\n" "$2"; fi'
cygrunsrv_switch() {
  nixproc-cygrunsrv-switch --state-dir "$STATE" --force-disable-user-change --jobs 1 "$@" >/dev/null
}
# What `cygrunsrv --install SERVICE` must get: the file's tokens as the shell
# reads them (shlex is an independent reader of the same quoting).
install_line() {
  python3 - "$PROFILE/nix-process-$1-cygrunsrvparams" "nix-process-$1" <<'PY'
import shlex, sys
words = ["--install", sys.argv[2]] + shlex.split(open(sys.argv[1]).read())
print("cygrunsrv" + "".join(" [%s]" % w for w in words))
PY
}

check "cygrunsrv: first deploy" cygrunsrv_switch --extra-params "$(ids "$N1")" "$MODEL"
check_equal "cygrunsrv: first deploy installs and starts webapp, then nginx" "$(recorded)" \
  "$(install_line webapp)
cygrunsrv [--start] [nix-process-webapp]
$(install_line nginx)
cygrunsrv [--start] [nix-process-nginx]"
check_contains "cygrunsrv: nginx depends on the webapp service" "$(install_line nginx)" \
  "[--dep] [nix-process-webapp]"
check_contains "cygrunsrv: the webapp gets its port" "$(install_line webapp)" "[--env] [PORT=$W]"
check_contains "cygrunsrv: status parses cygrunsrv --query" "$(nixproc status)" "running"
recorded >/dev/null

check "cygrunsrv: upgrade (nginx on another port)" cygrunsrv_switch --extra-params "$(ids "$N2")" "$MODEL"
check_equal "cygrunsrv: the upgrade replaces only nginx" "$(recorded)" \
  "cygrunsrv [--stop] [nix-process-nginx]
cygrunsrv [--remove] [nix-process-nginx]
$(install_line nginx)
cygrunsrv [--start] [nix-process-nginx]"

check "cygrunsrv: rollback" cygrunsrv_switch --rollback
check_equal "cygrunsrv: the rollback replaces only nginx" "$(recorded)" \
  "cygrunsrv [--stop] [nix-process-nginx]
cygrunsrv [--remove] [nix-process-nginx]
$(install_line nginx)
cygrunsrv [--start] [nix-process-nginx]"

check "cygrunsrv: undeploy" cygrunsrv_switch --undeploy
check_equal "cygrunsrv: undeploy stops and removes nginx, then webapp" "$(recorded)" \
  "cygrunsrv [--stop] [nix-process-nginx]
cygrunsrv [--remove] [nix-process-nginx]
cygrunsrv [--stop] [nix-process-webapp]
cygrunsrv [--remove] [nix-process-webapp]"

finish
