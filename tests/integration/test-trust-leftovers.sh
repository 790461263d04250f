#!/bin/bash
# No process of an instance is left behind (issue 11, items 5 and 6): after
# kill -9 of nginx's master its workers (which keep the port) and the
# background job of its initialize are ended, so the instance starts again;
# killing an instance's keeper never leaves its daemon running on its own:
# the next start ends it; and a stop leaves nothing of the instance.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trust.sh"
command -v nginx >/dev/null || {
  echo "skipped: needs nginx"
  exit 77
}
sleeps() { pgrep -fx "sleep 1000" | wc -l; }
no_nginx() { [ "$(nginx_count)" -eq 0 ]; }
one_sleep() { [ "$(sleeps)" -eq 1 ]; }
new_master() { local now; now=$(main_pid web); [ -n "$now" ] && [ "$now" != "$master" ]; }
answers() { curl -s --max-time 2 "http://127.0.0.1:$1/" | grep -q "web $1"; }
# The supervisors restart a dead process themselves; sysvinit and disnix wait
# for a start.
restarts_itself() { case $PM in supervisord | s6 | runit) return 0 ;; *) return 1 ;; esac; }
bring_back() { restarts_itself || nixproc start web; }

for PM in $(runnable_pms); do
  P=$(free_port)
  nginx_model "$TEST_DIR/web.json" web "$P" "sleep 1000 &"
  check "$PM: deploy nginx" switch "$TEST_DIR/web.json"
  check "$PM: it answers" wait_until 20 answers "$P"
  check_equal "$PM: a master and two workers" "$(nginx_count)" 3
  check_equal "$PM: initialize's background job runs" "$(sleeps)" 1
  master=$(main_pid web)
  check "$PM: status names the master" test -n "$master"

  # kill -9 of the master: its workers keep the port.
  kill -KILL "$master"
  if restarts_itself; then
    check "$PM: the manager starts nginx again" wait_until 30 answers "$P"
    check_equal "$PM: after the restart, one master and two workers" "$(nginx_count)" 3
  else
    check "$PM: what the master left is ended" wait_until 10 no_nginx
    check_contains "$PM: status says stopped" "$(nixproc status web)" "stopped"
    check "$PM: start" nixproc start web
    check "$PM: it answers again" wait_until 20 answers "$P"
  fi
  check "$PM: a new master" wait_until 10 new_master
  check "$PM: the first initialize's job was ended with it" wait_until 10 one_sleep

  check "$PM: stop" nixproc stop web
  check_equal "$PM: the stop left no nginx" "$(nginx_count)" 0
  check_equal "$PM: nor initialize's job" "$(sleeps)" 0
  check "$PM: undeploy" switch --undeploy
  check_equal "$PM: nothing left running" "$(test_processes | wc -l)" 0

  # A daemon-only nginx, through its keeper; the keeper is killed.
  nginx_model "$TEST_DIR/daemon.json" web "$P" "" daemon-only
  check "$PM: deploy a daemon-only nginx" switch "$TEST_DIR/daemon.json"
  check "$PM: it answers" wait_until 20 answers "$P"
  master=$(main_pid web)
  keeper=$(keeper_pid web)
  check "$PM: its keeper is known" test -n "$keeper"
  kill -KILL "$keeper"
  if restarts_itself; then
    check "$PM: the restarted keeper ends the old daemon" wait_until 30 gone "$master"
    check "$PM: and starts a new one that answers" wait_until 30 answers "$P"
  else
    check_contains "$PM: status says its keeper is gone" "$(nixproc status web)" "dead"
    check "$PM: the daemon still answers meanwhile" answers "$P"
    check "$PM: start" nixproc start web
    check "$PM: the old daemon is gone" gone "$master"
    check "$PM: the new one answers" wait_until 20 answers "$P"
  fi
  check_equal "$PM: one master and two workers" "$(nginx_count)" 3
  check "$PM: undeploy" switch --undeploy
  check_equal "$PM: no nginx left" "$(nginx_count)" 0
  check_equal "$PM: nothing left running" "$(test_processes | wc -l)" 0
  switch --delete-all-generations
done
finish
