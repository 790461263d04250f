#!/bin/bash
# A second switch while one runs is refused with its own exit status, and a
# switch killed half-way is repaired by the next one: processes back to the
# current generation, then the new switch proceeds.
. "$(dirname "$0")/lib.sh"
HOLD=$NIXPROC_BIN/nixproc-test-hold
switch() { nixproc switch -P sysvinit --state-dir "$STATE" --force-disable-user-change "$@"; }

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
check "deploy generation 1" switch "$TEST_DIR/one.json"
a_pid=$(live_pid "$STATE/run/a.pid")
b_pid=$(live_pid "$STATE/run/b.pid")

# Switch to a model whose c takes 30 s to initialise, and interfere with it.
nixproc switch -P sysvinit --state-dir "$STATE" --force-disable-user-change "$TEST_DIR/two.json" \
  >"$TEST_DIR/slow.log" 2>&1 &
slow=$!  # nixproc itself, so the kill below hits it and nothing else
for i in $(seq 100); do grep -q "starting c" "$TEST_DIR/slow.log" 2>/dev/null && break; sleep 0.1; done
check_contains "the slow switch is starting c" "$(cat "$TEST_DIR/slow.log")" "starting c"

output=$(switch "$TEST_DIR/one.json" 2>&1)
status=$?
check_equal "a concurrent switch exits with status 2" "$status" 2
check_contains "and says why" "$output" "in progress in another process"

kill -KILL "$slow"
wait "$slow" 2>/dev/null
pkill -KILL -f "sleep 30" 2>/dev/null
check "the killed switch left its journal" test -f "$NIXPROC_HOME/profiles/.processes.switch"
check_equal "the killed switch did not flip the profile" "$(switch --list-generations | wc -l)" 1
check_contains "the interrupted switch had started b of generation 2" \
  "$(tr '\0' ' ' </proc/"$(live_pid "$STATE/run/b.pid")"/cmdline)" "two"

output=$(switch "$TEST_DIR/one.json" 2>&1)
check "the next switch succeeds" test $? -eq 0
check_contains "it repaired the interrupted switch" "$output" "was interrupted"
check "the journal is gone" test ! -e "$NIXPROC_HOME/profiles/.processes.switch"
check "b runs again" test -n "$(live_pid "$STATE/run/b.pid")"
check "c runs again" test -n "$(live_pid "$STATE/run/c.pid")"
check_equal "a was never touched" "$(live_pid "$STATE/run/a.pid")" "$a_pid"
check_contains "b runs its generation-1 arguments" "$(tr '\0' ' ' </proc/"$(live_pid "$STATE/run/b.pid")"/cmdline)" "one"
check_equal "still one generation" "$(switch --list-generations | wc -l)" 1

# A failing start restores the previous processes and keeps the profile.
cat >"$TEST_DIR/broken.json" <<JSON
{"a": {"pkg": {"instanceName": "a", "foregroundProcess": "$HOLD"}},
 "b": {"pkg": {"instanceName": "b", "foregroundProcess": "$HOLD", "args": ["three"], "dependencies": ["a"]}},
 "c": {"pkg": {"instanceName": "c", "foregroundProcess": "$HOLD", "args": ["three"],
               "initialize": "exit 3", "dependencies": ["b"]}}}
JSON
b_pid=$(live_pid "$STATE/run/b.pid")
output=$(switch "$TEST_DIR/broken.json" 2>&1)
check "a switch whose activation fails exits non-zero" test $? -ne 0
check_contains "it says the previous deployment was restored" "$output" "previous deployment was restored"
check_equal "the profile is unchanged" "$(switch --list-generations | wc -l)" 1
check_contains "b runs its generation-1 arguments again" "$(tr '\0' ' ' </proc/"$(live_pid "$STATE/run/b.pid")"/cmdline)" "one"
check "c runs again" test -n "$(live_pid "$STATE/run/c.pid")"

check "undeploy" switch --undeploy
check_equal "nothing left running" "$(test_processes | wc -l)" 0
finish
