#!/bin/bash
# Hostile and broken models get one clear error naming the instance and the
# field, and change nothing: same generation, same running processes.
. "$(dirname "$0")/lib.sh"
HOLD=$NIXPROC_BIN/nixproc-test-hold
PM=sysvinit
switch() { nixproc switch -P "$PM" --state-dir "$STATE" --force-disable-user-change "$@"; }
# The PIDs of the good model's processes, as the backend knows them.
pids() {
  case $PM in
  sysvinit | disnix) echo "$(cat "$STATE/run/a.pid") $(cat "$STATE/run/b.pid")" ;;
  *) echo "$(status_pid a) $(status_pid b)" ;;
  esac
}

cat >"$TEST_DIR/good.json" <<JSON
{"a": {"pkg": {"instanceName": "a", "foregroundProcess": "$HOLD"}},
 "b": {"pkg": {"instanceName": "b", "foregroundProcess": "$HOLD", "dependencies": ["a"]}}}
JSON
check "deploy a good model" switch "$TEST_DIR/good.json"
pids_before=$(pids)
generations_before=$(switch --list-generations)

expect_error() {  # expect_error DESCRIPTION EXPECTED_TEXT FILE [CONTENT]
  local file=$TEST_DIR/$3 output
  if [ $# -ge 4 ]; then printf '%s' "$4" >"$file"; fi
  output=$(switch "$file" 2>&1)
  local status=$?
  check "$1: fails" test "$status" -ne 0
  check_contains "$1: says what is wrong" "$output" "$2"
  check_equal "$1: the generations are unchanged" "$(switch --list-generations)" "$generations_before"
  check_equal "$1: the processes are unchanged" "$(pids)" "$pids_before"
}

H=$HOLD
expect_error "unknown dependency" 'instance b: field dependencies[0]: no instance is named "c"' bad1.json \
  "{\"a\": {\"pkg\": {\"name\": \"a\", \"process\": \"$H\"}}, \"b\": {\"pkg\": {\"name\": \"b\", \"process\": \"$H\", \"dependencies\": [\"c\"]}}}"
expect_error "dependency cycle" "dependency cycle: a -> b -> a" bad2.json \
  "{\"a\": {\"pkg\": {\"name\": \"a\", \"process\": \"$H\", \"dependencies\": [\"b\"]}}, \"b\": {\"pkg\": {\"name\": \"b\", \"process\": \"$H\", \"dependencies\": [\"a\"]}}}"
expect_error "duplicate process names" 'both have the process name "x"' bad3.json \
  "{\"a\": {\"pkg\": {\"name\": \"x\", \"process\": \"$H\"}}, \"b\": {\"pkg\": {\"name\": \"x\", \"process\": \"$H\"}}}"
expect_error "missing process" "instance a: no process to run" bad4.json '{"a": {"pkg": {"name": "a"}}}'
expect_error "invalid name" 'invalid instance name "a b"' bad5.json \
  "{\"a b\": {\"pkg\": {\"name\": \"a\", \"process\": \"$H\"}}}"
expect_error "wrong type" "instance a: field args: expected a list, got string" bad6.json \
  "{\"a\": {\"pkg\": {\"name\": \"a\", \"process\": \"$H\", \"args\": \"-D\"}}}"
expect_error "not JSON" "not valid JSON" bad7.json '{"a": '
expect_error "missing file" "does not exist" missing.json
expect_error "bad override" "instance a (sysvinit): field runlevels[0]: expected a value from 0 to 6" bad8.json \
  "{\"a\": {\"pkg\": {\"name\": \"a\", \"process\": \"$H\", \"overrides\": {\"sysvinit\": {\"runlevels\": [7]}}}}}"
expect_error "Nix syntax error" "cannot evaluate" bad.nix '{ processManager }: { a = ; }'
expect_error "Nix evaluation error" "instance a: missing field pkg" bad2.nix '{ processManager }: { a = { port = 1; }; }'
expect_error "Nix throw" "no such luck" bad3.nix '{ processManager }: { a = throw "no such luck"; }'
expect_error "unknown createManagedProcess argument" "argz" bad4.nix \
  "{ processManager }: let n = import <nixproc> { inherit processManager; }; in { a = { pkg = n.createManagedProcess { name = \"a\"; process = \"$H\"; argz = []; }; }; }"

output=$(nixproc switch -P upstart --state-dir "$STATE" "$TEST_DIR/good.json" 2>&1)
check_contains "unknown process manager" "$output" 'unknown process manager "upstart"'
output=$(nixproc switch --state-dir "$STATE" --force-disable-user-change --extra-params '{ a = ; }' "$EXAMPLES/webapps-agnostic/processes.nix" 2>&1)
check "a broken --extra-params is an error" test $? -ne 0

check "undeploy" switch --undeploy
check_equal "nothing left running" "$(test_processes | wc -l)" 0

# The supervising backends refuse the same models and their own bad
# overrides without touching what runs.
for PM in $(runnable_pms); do
  case $PM in sysvinit | disnix) continue ;; esac
  check "$PM: deploy a good model" switch "$TEST_DIR/good.json"
  pids_before=$(pids)
  check "$PM: both run" test "$(echo $pids_before | wc -w)" = 2
  generations_before=$(switch --list-generations)
  expect_error "$PM: dependency cycle" "dependency cycle: a -> b -> a" bad2.json
  expect_error "$PM: wrong type" "instance a: field args: expected a list, got string" bad6.json
  case $PM in
  supervisord)
    expect_error "$PM: bad program key" "instance a (supervisord): field program.Bad Key" bad-$PM.json \
      "{\"a\": {\"pkg\": {\"name\": \"a\", \"process\": \"$H\", \"overrides\": {\"supervisord\": {\"program\": {\"Bad Key\": 1}}}}}}"
    expect_error "$PM: a program key nixproc sets" "nixproc sets command itself" bad-$PM-2.json \
      "{\"a\": {\"pkg\": {\"name\": \"a\", \"process\": \"$H\", \"overrides\": {\"supervisord\": {\"program\": {\"command\": \"sh\"}}}}}}"
    ;;
  esac
  check "$PM: undeploy" switch --undeploy
  check_equal "$PM: nothing left running" "$(test_processes | wc -l)" 0
done
finish
