#!/bin/bash
# Process identity and planted files (issue 11, items 1-3): a PID file that
# names a live process of the same program, another user's, or PID 1 never
# makes nixproc report it or signal it; PID files that are FIFOs,
# directories, dangling symlinks, garbage or empty never hang or break
# status, start or stop, the managers' included; and files another local
# user plants in a shared tmp directory never make a root deploy follow a
# symlink, block on a FIFO or kill a process that is not the instance's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trust.sh"
if [ "$(id -u)" != 0 ]; then
  echo "skipped: needs root (another user's processes and files)"
  exit 77
fi
ensure_test_user
test_uid=$(id -u "$TEST_USER")
# A process of the same program, but not the instance's: root's and the
# test user's (setpriv execs, so $! is hold itself).
start_unrelated() {
  "$HOLD" </dev/null >/dev/null 2>&1 &
  root_other=$!
  setpriv --reuid "$test_uid" --regid "$test_uid" --clear-groups "$HOLD" </dev/null >/dev/null 2>&1 &
  user_other=$!
}
stop_unrelated() { kill "$root_other" "$user_other" 2>/dev/null; wait "$root_other" "$user_other" 2>/dev/null; }

for PM in $(runnable_pms); do
  hold_model "$TEST_DIR/a.json" a
  check "$PM: deploy a" switch "$TEST_DIR/a.json"
  real=$(main_pid a)
  check "$PM: a runs" test -n "$real"
  start_unrelated
  pid_file=$STATE/run/a.pid
  case $PM in
  sysvinit | disnix)
    check_equal "$PM: the PID file names a" "$(head -n 1 "$pid_file")" "$real"
    # Another process of the same program takes the PID file over.
    echo "$root_other" >"$pid_file"
    ;;
  esac
  check_equal "$PM: status shows a's own process" "$(main_pid a)" "$real"
  check "$PM: stop a" nixproc stop a
  check "$PM: a's process is gone" gone "$real"
  check "$PM: root's other hold survived the stop" alive "$root_other"
  check "$PM: the other user's hold survived the stop" alive "$user_other"

  case $PM in
  sysvinit | disnix)
    # Stopped, with a PID file that names a live process of the program:
    # still stopped, and a start starts a afresh.
    for named in "$root_other" "$user_other" 1; do
      echo "$named" >"$pid_file"
      check_contains "$PM: a PID file naming $named: status says stopped" \
        "$(timeout 20 nixproc status a)" "stopped"
      check "$PM: a PID file naming $named: start" timeout 30 nixproc start a
      pid=$(main_pid a)
      check "$PM: a PID file naming $named: a new process" test -n "$pid" -a "$pid" != "$named"
      check "$PM: a PID file naming $named: stop" timeout 30 nixproc stop a
      check "$PM: a PID file naming $named: that process survived" alive "$named"
    done
    # PID files that are not files, or hold no PID.
    for kind in fifo directory dangling garbage empty; do
      rm -rf "$pid_file"
      case $kind in
      fifo) mkfifo "$pid_file" ;;
      directory) mkdir "$pid_file" ;;
      dangling) ln -s "$TEST_DIR/nowhere" "$pid_file" ;;
      garbage) printf 'garbage\n\001\002' >"$pid_file" ;;
      empty) : >"$pid_file" ;;
      esac
      output=$(timeout 20 nixproc status a 2>&1)
      check "$PM: a $kind PID file: status returns" test $? -ne 124
      check_contains "$PM: a $kind PID file: status says stopped" "$output" "stopped"
      check "$PM: a $kind PID file: start" timeout 30 nixproc start a
      pid=$(main_pid a)
      check "$PM: a $kind PID file: it runs" test -n "$pid"
      check_equal "$PM: a $kind PID file: the PID file names it" "$(head -n 1 "$pid_file" 2>/dev/null)" "$pid"
      check "$PM: a $kind PID file: stop" timeout 30 nixproc stop a
      check "$PM: a $kind PID file: stopped" gone "$pid"
    done
    ;;
  esac

  # A switch that restarts a never touches the other processes either.
  check "$PM: start a again" nixproc start a
  real=$(main_pid a)
  hold_model "$TEST_DIR/a2.json" a
  sed -i "s|\"foregroundProcess\"|\"args\": [\"changed\"], \"foregroundProcess\"|" "$TEST_DIR/a2.json"
  case $PM in sysvinit | disnix) echo "$root_other" >"$pid_file" ;; esac
  check "$PM: a switch that restarts a" switch "$TEST_DIR/a2.json"
  check "$PM: the old a is gone" gone "$real"
  check "$PM: root's other hold survived the switch" alive "$root_other"
  check "$PM: the other user's hold survived the switch" alive "$user_other"
  stop_unrelated

  check "$PM: undeploy" switch --undeploy
  check_equal "$PM: nothing left running" "$(test_processes | wc -l)" 0
  check "$PM: delete the generations" switch --delete-all-generations
done

# The PID files of the managers nixproc starts: whatever is in their place,
# the switch neither hangs nor fails, and the undeploy stops the manager.
hold_model "$TEST_DIR/a.json" a
for PM in $(runnable_pms); do
  case $PM in
  supervisord) manager_pid_file=$STATE/run/nixproc-supervisord.pid manager=supervisord ;;
  s6) manager_pid_file=$STATE/run/nixproc-s6-svscan.pid manager=s6-svscan ;;
  runit) manager_pid_file=$STATE/run/nixproc-runsvdir.pid manager=runsvdir ;;
  *) continue ;;
  esac
  for kind in fifo directory dangling garbage; do
    mkdir -p "$STATE/run"
    rm -rf "$manager_pid_file"
    case $kind in
    fifo) mkfifo "$manager_pid_file" ;;
    directory) mkdir "$manager_pid_file" ;;
    dangling) ln -s "$TEST_DIR/nowhere" "$manager_pid_file" ;;
    garbage) echo garbage >"$manager_pid_file" ;;
    esac
    check "$PM: a $kind at $manager's PID file: deploy" bounded_switch "$TEST_DIR/a.json"
    check "$PM: a $kind at $manager's PID file: a runs" test -n "$(main_pid a)"
    check "$PM: a $kind at $manager's PID file: undeploy" bounded_switch --undeploy
    check_equal "$PM: a $kind at $manager's PID file: $manager is gone too" "$(pgrep -x "$manager" | wc -l)" 0
    check_equal "$PM: a $kind at $manager's PID file: nothing left" "$(test_processes | wc -l)" 0
    switch --delete-all-generations
  done
done

# A root deploy with users, its tmp dir shared with another local user, who
# plants symlinks and FIFOs where PID files and logs go.
note_new_accounts webapp nginx
trap remove_new_accounts EXIT
SHARED=$TEST_DIR/tmp
mkdir -p "$SHARED"
chmod 1777 "$SHARED"
echo "root's secret" >"$TEST_DIR/secret"
chmod 600 "$TEST_DIR/secret"
W=$(free_port)
N=$(free_port)
ids="{\"ids\": {\"webappPorts\": {\"webapp\": $W}, \"nginxPorts\": {\"nginx\": $N}}}"
root_switch() { timeout 120 nixproc switch -P "$PM" --state-dir "$STATE" --tmp-dir "$SHARED" "$@"; }
plant() { setpriv --reuid "$test_uid" --regid "$test_uid" --clear-groups "$@"; }
for PM in $(runnable_pms); do
  rm -rf "${SHARED:?}"/* "${SHARED:?}"/.[!.]* 2>/dev/null
  plant ln -s "$TEST_DIR/secret" "$SHARED/webapp.pid"
  plant ln -s "$TEST_DIR/secret" "$SHARED/nixproc-webapp.log"
  plant mkfifo "$SHARED/nginx.pid"
  output=$(root_switch --extra-params "$ids" "$EXAMPLES/webapps-agnostic/processes.nix" 2>&1)
  status=$?
  check "$PM: a root deploy next to planted files neither hangs nor fails" test "$status" -eq 0
  [ "$status" -eq 0 ] || echo "$output" >&2
  wait_for_port "$N"
  check_contains "$PM: it answers" "$(http_get "$N" webapp.local)" "listening on port: $W"
  check_equal "$PM: nothing was written through the planted symlinks" "$(cat "$TEST_DIR/secret")" "root's secret"
  check_equal "$PM: root's file still belongs to root" "$(stat -c %U:%a "$TEST_DIR/secret")" "root:600"

  # Stopped, a PID file planted to name root's own process.
  "$HOLD" </dev/null >/dev/null 2>&1 &
  victim=$!
  check "$PM: stop the webapp" timeout 60 nixproc stop webapp
  rm -f "$SHARED/webapp.pid" 2>/dev/null
  plant sh -c "echo $victim > '$SHARED/webapp.pid'"
  check_contains "$PM: the planted PID file does not make it running" "$(nixproc status webapp)" "stopped"
  check "$PM: stop again" timeout 60 nixproc stop webapp
  check "$PM: start" timeout 60 nixproc start webapp
  check "$PM: stop once more" timeout 60 nixproc stop webapp
  check "$PM: root's process was never signalled" alive "$victim"
  kill "$victim"
  wait "$victim" 2>/dev/null
  check "$PM: undeploy" root_switch --undeploy
  check_equal "$PM: nothing left running" "$(test_processes | wc -l)" 0
  root_switch --delete-all-generations
done
finish
