#!/bin/bash
# Hostile and broken models get one clear error naming the instance and the
# field, and change nothing: same generation, same running processes.
. "$(dirname "$0")/lib.sh"
HOLD=$NIXPROC_BIN/nixproc-test-hold
PM=sysvinit
switch() { timeout 120 nixproc switch -P "$PM" --state-dir "$STATE" --force-disable-user-change "$@"; }
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

JOURNAL=$NIXPROC_HOME/profiles/.processes.switch
# expect_refused DESCRIPTION EXPECTED_TEXT SWITCH_ARGUMENTS...: the switch
# fails with the text and changes nothing: same generations, same processes,
# no journal left, no crash (exit status 1, not a signal or internal error).
expect_refused() {
  local what=$1 expected=$2 output status
  shift 2
  output=$(switch "$@" 2>&1)
  status=$?
  check_equal "$what: fails with status 1" "$status" 1
  check_contains "$what: says what is wrong" "$output" "$expected"
  check_equal "$what: the generations are unchanged" "$(switch --list-generations)" "$generations_before"
  check_equal "$what: the processes are unchanged" "$(pids)" "$pids_before"
  check "$what: no journal is left" test ! -e "$JOURNAL"
  LAST_OUTPUT=$output
}

expect_error() {  # expect_error DESCRIPTION EXPECTED_TEXT FILE [CONTENT]
  local file=$3
  case $file in /*) ;; *) file=$TEST_DIR/$file ;; esac
  if [ $# -ge 4 ]; then printf '%s' "$4" >"$file"; fi
  expect_refused "$1" "$2" "$file"
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

# What nixproc refuses (docs/model-format.md), on every backend that runs here.
pkg() { echo "\"name\": \"$1\", \"foregroundProcess\": \"$H\""; }
only_a() { echo "{\"a\": {\"pkg\": {$(pkg a), $1}}}"; }  # only_a FIELDS: instance a with them
malformed_cases() {
  # Crashes become one clear error.
  python3 -c 'import sys; print("{\"a\": {\"pkg\": {\"name\": \"a\", \"process\": \"" + sys.argv[1] + "\"}, \"deep\": " + "[" * 1000000 + "]" * 1000000 + "}}")' \
    "$H" >"$TEST_DIR/deep.json"
  expect_error "JSON nested a million deep" "nest deeper than 512 levels at a.deep[0][0]" deep.json
  expect_error "a number too large" "not valid JSON at a.pkg.nice: number overflow" huge-number.json \
    "$(only_a "\"nice\": 1e99999")"
  expect_error "a 400-digit integer" "not valid JSON at a.pkg.nice: number overflow parsing '9999" long-integer.json \
    "$(only_a "\"nice\": $(printf '9%.0s' {1..400})")"
  expect_error "a 50-digit integer" "field nice: expected a string or an integer, got float" long-integer.json \
    "$(only_a "\"nice\": 12345678901234567890123456789012345678901234567890")"
  expect_error "a 50-digit integer in Nix" "cannot evaluate" long-integer.nix \
    '{ }: { a = { pkg = { name = "a"; process = "/bin/sleep"; nice = 12345678901234567890123456789012345678901234567890; }; }; }'
  expect_error "a model that is /dev/zero" "/dev/zero is a device, not a regular file" /dev/zero
  rm -f "$TEST_DIR/fifo.json" "$TEST_DIR/fifo.nix"
  mkfifo "$TEST_DIR/fifo.json" "$TEST_DIR/fifo.nix"
  expect_error "a JSON model that is a FIFO" "is a FIFO, not a regular file" fifo.json
  expect_error "a Nix model that is a FIFO" "is a FIFO, not a regular file" fifo.nix
  local record='{ processManager }: { a = { pkg = { name = "a"; foregroundProcess = builtins.trace "nixproc-file RECORD" "'$H'"; }; }; }'
  expect_error "a generated file without a path" "a file the model generated (writeTextFile): field path: missing" record1.nix \
    "${record/RECORD/{\\\"name\\\": \\\"x\\\", \\\"text\\\": \\\"\\\"\}}"
  expect_error "a generated file with a mistyped field" "field text: expected a string, got integer" record2.nix \
    "${record/RECORD/{\\\"path\\\": \\\"/x\\\", \\\"name\\\": \\\"x\\\", \\\"text\\\": 1\}}"
  expect_error "a generated file outside the store" "outside nixproc's store" record3.nix \
    "${record/RECORD/{\\\"path\\\": \\\"$TEST_DIR/evil\\\", \\\"name\\\": \\\"evil\\\", \\\"text\\\": \\\"x\\\"\}}"
  check "nothing was written outside the store" test ! -e "$TEST_DIR/evil"
  expect_error "a generated file whose path does not match its content" "does not match its name and content" record4.nix \
    "${record/RECORD/{\\\"path\\\": \\\"$NIXPROC_HOME/store/00000000000000000000000000000000-x\\\", \\\"name\\\": \\\"x\\\", \\\"text\\\": \\\"x\\\"\}}"

  # Accepted but wrong before, now refused.
  expect_error "a NUL byte in an argument" 'instance a: field foregroundProcessArgs[0]: holds a NUL byte' nul-arg.json \
    "$(only_a "\"foregroundProcessArgs\": [\"x\\u0000y\"]")"
  expect_error "a NUL byte in the environment" 'instance a: field environment.V: holds a NUL byte' nul-env.json \
    "$(only_a "\"environment\": {\"V\": \"\\u0000\"}")"
  expect_error "a NUL byte in the description" 'instance a: field description: holds a NUL byte' nul-description.json \
    "$(only_a "\"description\": \"a\\u0000\"")"
  expect_error "a key given twice" 'the key "foregroundProcess" appears twice in the object at a.pkg' duplicate-key.json \
    "$(only_a "\"foregroundProcess\": \"/bin/false\"")"
  expect_error "two instances with one instanceName" 'instances a and b both have the instanceName "a"' shared-instance-name.json \
    "{\"a\": {\"pkg\": {$(pkg a), \"instanceName\": \"a\"}}, \"b\": {\"pkg\": {$(pkg b), \"instanceName\": \"a\"}}}"
  expect_error "two instances with one pidFile" "instances a and b both have the pidFile \"$TEST_DIR/x.pid\"" shared-pid-file.json \
    "{\"a\": {\"pkg\": {$(pkg a), \"pidFile\": \"$TEST_DIR/x.pid\"}}, \"b\": {\"pkg\": {$(pkg b), \"pidFile\": \"$TEST_DIR/x.pid\"}}}"
  expect_error "an override that renames" "field overrides.$PM.name: an override cannot change" override-name.json \
    "$(only_a "\"overrides\": {\"$PM\": {\"name\": \"../x\"}}")"
  expect_error "an override that changes dependencies" "field overrides.$PM.dependencies: an override cannot change" override-dependencies.json \
    "{\"a\": {\"pkg\": {$(pkg a)}}, \"b\": {\"pkg\": {$(pkg b), \"overrides\": {\"$PM\": {\"dependencies\": [\"a\"]}}}}}"
  local name
  for name in '../../elsewhere/x' 'x/y' 'new\nline'; do
    expect_error "instanceName $name with a name" "instance a: field instanceName: invalid instance name" bad-instance-name.json \
      "$(only_a "\"instanceName\": \"$name\"")"
  done
  check "nothing was written outside the state dir" test ! -e "$TEST_DIR/elsewhere"
  local pm_case
  for pm_case in "-P|the process manager name is empty" "-P none|the \`none\` process manager only builds" \
    "NIXPROC_PROCESS_MANAGER=none|the \`none\` process manager only builds"; do
    local how=${pm_case%%|*}
    case $how in
    -P) LAST_OUTPUT=$(nixproc switch -P "" --state-dir "$STATE" --force-disable-user-change "$TEST_DIR/good.json" 2>&1) ;;
    "-P none") LAST_OUTPUT=$(nixproc switch -P none --state-dir "$STATE" --force-disable-user-change "$TEST_DIR/good.json" 2>&1) ;;
    *) LAST_OUTPUT=$(NIXPROC_PROCESS_MANAGER=none nixproc switch --state-dir "$STATE" --force-disable-user-change "$TEST_DIR/good.json" 2>&1) ;;
    esac
    check_contains "process manager [$how]: refused" "$LAST_OUTPUT" "${pm_case#*|}"
    check_equal "process manager [$how]: the generations are unchanged" "$(switch --list-generations)" "$generations_before"
    check_equal "process manager [$how]: the processes are unchanged" "$(pids)" "$pids_before"
  done

  # What cannot start is refused at build time...
  expect_error "an empty process" "instance a: field process: empty" empty-process.json \
    '{"a": {"pkg": {"name": "a", "process": ""}}}'
  expect_error "an empty daemon" "instance a: field daemon: empty" empty-daemon.json \
    '{"a": {"pkg": {"name": "a", "daemon": "", "foregroundProcess": "/bin/sleep"}}}'
  expect_error "an empty pidFile" "instance a: field pidFile: empty" empty-pid-file.json \
    "$(only_a "\"pidFile\": \"\"")"
  expect_error "a relative pidFile" 'instance a: field pidFile: "a.pid" is not an absolute path' relative-pid-file.json \
    "$(only_a "\"pidFile\": \"a.pid\"")"
  local big
  big=$(head -c 1048576 /dev/zero | tr '\0' x)
  expect_error "a 1 MB argument" "instance a: field args[0]: 1048576 bytes, more than the 131071" big-arg.json \
    "$(only_a "\"args\": [\"$big\"]")"
  expect_error "a 1 MB environment value" "instance a: field environment.BIG: 1048580 bytes" big-env.json \
    "$(only_a "\"environment\": {\"BIG\": \"$big\"}")"
  expect_error "a 1 MB instance name" '(and 1048496 more bytes)' big-name.json "{\"$big\": {\"pkg\": {$(pkg a)}}}"
  check "a 1 MB name is not echoed whole" test "${#LAST_OUTPUT}" -lt 1000

  # ... and what only this machine can tell before anything is stopped.
  expect_error "a missing executable" "instance a ($PM): field process: \"$TEST_DIR/missing\" does not exist" missing-exe.json \
    "{\"a\": {\"pkg\": {\"instanceName\": \"a\", \"foregroundProcess\": \"$TEST_DIR/missing\"}}, \"b\": {\"pkg\": {$(pkg b), \"instanceName\": \"b\", \"dependencies\": [\"a\"]}}}"
  check_contains "it says nothing changed" "$LAST_OUTPUT" "refused before anything was stopped"
  expect_error "an executable not on PATH" 'field process: "no-such-program" is not found' missing-on-path.json \
    "{\"a\": {\"pkg\": {\"instanceName\": \"a\", \"foregroundProcess\": \"no-such-program\"}}}"
  expect_error "a pidFile in a missing directory" "field pidFile: the directory \"$TEST_DIR/no-dir\" does not exist" missing-pid-dir.json \
    "{\"a\": {\"pkg\": {\"instanceName\": \"a\", \"daemon\": \"$H\", \"daemonArgs\": [\"-D\"], \"pidFile\": \"$TEST_DIR/no-dir/a.pid\"}}}"
  echo "my precious data" >"$TEST_DIR/data.txt"
  expect_error "a pidFile that is a user's data file" "exists and is not a PID file" data-pid-file.json \
    "{\"a\": {\"pkg\": {\"instanceName\": \"a\", \"daemon\": \"$H\", \"daemonArgs\": [\"-D\"], \"pidFile\": \"$TEST_DIR/data.txt\"}}}"
  check_equal "the data file is untouched" "$(cat "$TEST_DIR/data.txt")" "my precious data"

  # A Nix model that loops is stopped.
  expect_refused "an endless evaluation" "did not finish within 1 s and was stopped (raise the limit with --eval-timeout" \
    --eval-timeout 1 "$TEST_DIR/loop.nix"
  LAST_OUTPUT=$(NIXPROC_EVAL_TIMEOUT=1 switch "$TEST_DIR/loop.nix" 2>&1)
  check_contains "the limit from the environment" "$LAST_OUTPUT" "within 1 s"

  # Messages quote what they echo.
  expect_error "a newline in an instance key" 'invalid instance name "a\nb": character "\n" at position 2' newline-key.json \
    "{\"a\\nb\": {\"pkg\": {$(pkg a)}}}"
}
cat >"$TEST_DIR/loop.nix" <<'NIX'
{ }: let count = n: builtins.foldl' (x: _: x + 1) 0 (builtins.genList (x: x) n);
in { a = { pkg = { name = "a"; process = "/bin/sleep"; args = [ (toString (builtins.foldl' (x: _: x + count 100000) 0 (builtins.genList (x: x) 1000000))) ]; }; }; }
NIX
malformed_cases

# A garbage or empty switch journal does not block the next switch: the
# current generation's processes are brought back and the journal removed.
for journal in "" "garbage {"; do
  printf '%s' "$journal" >"$JOURNAL"
  output=$(switch "$TEST_DIR/good.json" 2>&1)
  check "a journal [$journal]: the next switch works" test $? -eq 0
  check_contains "a journal [$journal]: it is reported" "$output" "interrupted"
  check "a journal [$journal]: it is gone" test ! -e "$JOURNAL"
  check_equal "a journal [$journal]: the processes are unchanged" "$(pids)" "$pids_before"
done
echo garbage >"$JOURNAL"
kill "$(cat "$STATE/run/a.pid")"
output=$(switch "$TEST_DIR/good.json" 2>&1)
check "a garbage journal with a process gone: the switch works" test $? -eq 0
check "a garbage journal with a process gone: it runs again" test -n "$(live_pid "$STATE/run/a.pid")"
pids_before=$(pids)

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
  malformed_cases
  echo garbage >"$JOURNAL"
  check "$PM: a garbage journal: --undeploy still works" switch --undeploy
  check_equal "$PM: a garbage journal: nothing left running" "$(test_processes | wc -l)" 0
  check "$PM: deploy the good model again" switch "$TEST_DIR/good.json"
  pids_before=$(pids)
  generations_before=$(switch --list-generations)
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
