#!/bin/bash
# No false success, and a failed start can be retried (issue 11, items 7 and
# 8): a process that exits right after it starts, or one that cannot bind its
# port, fails the switch on every backend, which restores the previous
# deployment; and once the port is free, `nixproc start` starts it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trust.sh"
answers() { curl -s --max-time 2 "http://127.0.0.1:$1/" | grep -q "listening on port: $1"; }
# webapp_pkg PORT: the example webapp as instance "web" (it fails at once
# when its port is taken), a daemon for sysvinit and disnix.
webapp_pkg() {
  echo "{\"instanceName\": \"web\", \"process\": \"$NIXPROC_BIN/webapp\", \"daemonExtraArgs\": [\"-D\"],
         \"environment\": {\"PORT\": \"$1\", \"PID_FILE\": \"$STATE/run/web.pid\"},
         \"pidFile\": \"$STATE/run/web.pid\"}"
}

for PM in $(runnable_pms); do
  hold_model "$TEST_DIR/good.json" a
  check "$PM: deploy a" switch "$TEST_DIR/good.json"
  a=$(main_pid a)
  generations=$(switch --list-generations)

  # b exits at once.
  with_instance "$TEST_DIR/good.json" "$TEST_DIR/exits.json" b \
    '{"instanceName": "b", "foregroundProcess": "/bin/sh", "args": ["-c", "exit 3"]}'
  output=$(bounded_switch "$TEST_DIR/exits.json" 2>&1)
  check "$PM: a process that exits at once fails the switch" test $? -ne 0
  check_contains "$PM: and the switch is undone" "$output" "previous deployment was restored"
  check_equal "$PM: the generations are unchanged" "$(switch --list-generations)" "$generations"
  check_equal "$PM: a still runs, untouched" "$(main_pid a)" "$a"
  check_contains "$PM: b does not run" "$(nixproc status 2>&1)" "a "

  # The webapp on a port that is taken.
  P=$(free_port)
  hold_port "$P"
  with_instance "$TEST_DIR/good.json" "$TEST_DIR/web.json" web "$(webapp_pkg "$P")"
  output=$(bounded_switch "$TEST_DIR/web.json" 2>&1)
  check "$PM: a webapp on a taken port fails the switch" test $? -ne 0
  check_contains "$PM: and the switch is undone" "$output" "previous deployment was restored"
  check_equal "$PM: the generations are unchanged again" "$(switch --list-generations)" "$generations"
  check_equal "$PM: a still runs" "$(main_pid a)" "$a"
  kill "$port_holder"
  wait "$port_holder" 2>/dev/null

  # Deployed, stopped, its port taken: the start fails; once the port is
  # free again it succeeds.
  check "$PM: deploy the webapp on a free port" switch "$TEST_DIR/web.json"
  check "$PM: it answers" wait_until 20 answers "$P"
  check "$PM: stop it" nixproc stop web
  hold_port "$P"
  check_fails "$PM: a start while the port is taken fails" timeout 120 nixproc start web
  kill "$port_holder"
  wait "$port_holder" 2>/dev/null
  check "$PM: once the port is free, start starts it" timeout 120 nixproc start web
  check "$PM: it answers again" wait_until 20 answers "$P"
  check_equal "$PM: a was never touched" "$(main_pid a)" "$a"

  check "$PM: undeploy" switch --undeploy
  check_equal "$PM: nothing left running" "$(test_processes | wc -l)" 0
  switch --delete-all-generations
done
finish
