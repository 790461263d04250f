#!/bin/bash
# A second switch while one runs is refused with its own exit status, and a
# switch killed half-way is repaired by the next one: processes back to the
# current generation, then the new switch proceeds.
. "$(dirname "$0")/lib.sh"
HOLD=$NIXPROC_BIN/nixproc-test-hold
switch() { nixproc switch -P "$PM" --state-dir "$STATE" --force-disable-user-change "$@"; }
pid_of() { instance_pid "$PM" "$1" "$STATE/run/$1.pid"; }

model() {  # model FILE SLOW_INITIALIZE_SECONDS B_ARG
  cat >"$1" <<JSON
{"a": {"pkg": {"instanceName": "a", "foregroundProcess": "$HOLD"}},
 "b": {"pkg": {"instanceName": "b", "foregroundProcess": "$HOLD", "args": ["$3"],
               "dependencies": ["a"]}},
 "c": {"pkg": {"instanceName": "c", "foregroundProcess": "$HOLD", "args": ["$3"],
               "initialize": "sleep $2", "dependencies": ["b"]}}}
JSON
}
model "$TEST_DIR/one.json" 0 one
model "$TEST_DIR/two.json" 30 two
# c fails to start.
cat >"$TEST_DIR/broken.json" <<JSON
{"a": {"pkg": {"instanceName": "a", "foregroundProcess": "$HOLD"}},
 "b": {"pkg": {"instanceName": "b", "foregroundProcess": "$HOLD", "args": ["three"], "dependencies": ["a"]}},
 "c": {"pkg": {"instanceName": "c", "foregroundProcess": "$HOLD", "args": ["three"],
               "initialize": "exit 3", "dependencies": ["b"]}}}
JSON

for PM in $(runnable_pms); do
  check "$PM: deploy generation 1" switch "$TEST_DIR/one.json"
  a_pid=$(pid_of a)
  b_pid=$(pid_of b)

  # Switch to a model whose c takes 30 s to initialise, and interfere with it.
  nixproc switch -P "$PM" --state-dir "$STATE" --force-disable-user-change "$TEST_DIR/two.json" \
    >"$TEST_DIR/slow.log" 2>&1 &
  slow=$!  # nixproc itself, so the kill below hits it and nothing else
  for i in $(seq 300); do grep -q "starting c" "$TEST_DIR/slow.log" 2>/dev/null && break; sleep 0.1; done
  check_contains "$PM: the slow switch is starting c" "$(cat "$TEST_DIR/slow.log")" "starting c"

  output=$(switch "$TEST_DIR/one.json" 2>&1)
  status=$?
  check_equal "$PM: a concurrent switch exits with status 2" "$status" 2
  check_contains "$PM: and says why" "$output" "in progress in another process"

  kill -KILL "$slow"
  wait "$slow" 2>/dev/null
  pkill -KILL -f "sleep 30" 2>/dev/null
  check "$PM: the killed switch left its journal" test -f "$NIXPROC_HOME/profiles/.processes.switch"
  check_equal "$PM: the killed switch did not flip the profile" "$(switch --list-generations | wc -l)" 1
  check_contains "$PM: the interrupted switch had started b of generation 2" \
    "$(tr '\0' ' ' </proc/"$(pid_of b)"/cmdline)" "two"

  output=$(switch "$TEST_DIR/one.json" 2>&1)
  check "$PM: the next switch succeeds" test $? -eq 0
  check_contains "$PM: it repaired the interrupted switch" "$output" "was interrupted"
  check "$PM: the journal is gone" test ! -e "$NIXPROC_HOME/profiles/.processes.switch"
  check "$PM: b runs again" test -n "$(pid_of b)"
  check "$PM: c runs again" test -n "$(pid_of c)"
  check_equal "$PM: a was never touched" "$(pid_of a)" "$a_pid"
  check_contains "$PM: b runs its generation-1 arguments" "$(tr '\0' ' ' </proc/"$(pid_of b)"/cmdline)" "one"
  check_equal "$PM: still one generation" "$(switch --list-generations | wc -l)" 1

  # A failing start restores the previous processes and keeps the profile.
  b_pid=$(pid_of b)
  output=$(switch "$TEST_DIR/broken.json" 2>&1)
  check "$PM: a switch whose activation fails exits non-zero" test $? -ne 0
  check_contains "$PM: it says the previous deployment was restored" "$output" "previous deployment was restored"
  check_equal "$PM: the profile is unchanged" "$(switch --list-generations | wc -l)" 1
  check_contains "$PM: b runs its generation-1 arguments again" "$(tr '\0' ' ' </proc/"$(pid_of b)"/cmdline)" "one"
  check "$PM: c runs again" test -n "$(pid_of c)"

  check "$PM: the restored failure left no journal" test ! -e "$NIXPROC_HOME/profiles/.processes.switch"

  check "$PM: undeploy" switch --undeploy
  check_equal "$PM: nothing left running" "$(test_processes | wc -l)" 0
  check "$PM: delete the generations" switch --delete-all-generations
done
finish
