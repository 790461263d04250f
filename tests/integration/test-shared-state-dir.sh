#!/bin/bash
# Profiles that share a state directory: a profile deploying an instance of a
# name another profile (of the same nixproc home or of another) deploys there
# is refused with that profile named, and changes nothing; instances of other
# names run side by side, and undeploying one profile leaves the other's
# processes running. Once a profile drops a name, another may take it.
. "$(dirname "$0")/lib.sh"
HOLD=$NIXPROC_BIN/nixproc-test-hold
OTHER_HOME=$TEST_DIR/other-home

# as_profile HOME PROFILE COMMAND ARGS...: a nixproc command on profile PROFILE of
# nixproc home HOME, in the shared state dir.
as_profile() {
  local home=$1 profile=$2 command=$3
  shift 3
  NIXPROC_HOME=$home nixproc "$command" -P "$PM" -p "$profile" --state-dir "$STATE" \
    --force-disable-user-change "$@"
}
pid_of() {  # pid_of HOME PROFILE NAME
  NIXPROC_HOME=$1 instance_pid "$PM" "$3" "$STATE/run/$3.pid" -p "$2"
}
generations() { as_profile "$1" "$2" switch --list-generations | wc -l; }

model() {  # model FILE NAME[=DEPENDENCY]...
  local file=$1 entry name dependency separator=""
  shift
  echo "{" >"$file"
  for entry in "$@"; do
    name=${entry%%=*}
    dependency=$([ "$entry" != "$name" ] && echo "\"${entry#*=}\"")
    echo "$separator\"$name\": {\"pkg\": {\"instanceName\": \"$name\", \"foregroundProcess\": \"$HOLD\"," \
      "\"args\": [\"$file\"], \"dependencies\": [$dependency]}}" >>"$file"
    separator=,
  done
  echo "}" >>"$file"
}
model "$TEST_DIR/ab.json" a b=a
model "$TEST_DIR/b.json" b
model "$TEST_DIR/ac.json" a c=a
model "$TEST_DIR/cd.json" c d=c

for PM in $(runnable_pms); do
  check "$PM: profile alpha deploys a and b" as_profile "$NIXPROC_HOME" alpha switch "$TEST_DIR/ab.json"
  a_pid=$(pid_of "$NIXPROC_HOME" alpha a)
  b_pid=$(pid_of "$NIXPROC_HOME" alpha b)
  check "$PM: a runs" test -n "$a_pid"

  for other in "$NIXPROC_HOME beta" "$OTHER_HOME alpha"; do
    set -- $other
    output=$(as_profile "$1" "$2" switch "$TEST_DIR/ac.json" 2>&1)
    check "$PM: profile $2 of $1 deploying a there is refused" test $? -ne 0
    check_contains "$PM: the refusal names the other profile" "$output" \
      "instance a is deployed into the same state directory by profile alpha of nixproc home $NIXPROC_HOME"
    check_equal "$PM: a keeps its PID" "$(pid_of "$NIXPROC_HOME" alpha a)" "$a_pid"
    check_equal "$PM: b keeps its PID" "$(pid_of "$NIXPROC_HOME" alpha b)" "$b_pid"
    check_equal "$PM: alpha still has one generation" "$(generations "$NIXPROC_HOME" alpha)" 1
    check_equal "$PM: the refused profile has no generation" "$(generations "$1" "$2")" 0
    check "$PM: and no journal" test ! -e "$1/profiles/.$2.switch"
    check_equal "$PM: c was not started" "$(pgrep -f "$HOLD $TEST_DIR/ac.json")" ""
  done

  check "$PM: profile beta deploys c and d beside them" as_profile "$NIXPROC_HOME" beta switch "$TEST_DIR/cd.json"
  check "$PM: c runs" test -n "$(pid_of "$NIXPROC_HOME" beta c)"
  check "$PM: d runs" test -n "$(pid_of "$NIXPROC_HOME" beta d)"
  check "$PM: beta undeploys" as_profile "$NIXPROC_HOME" beta switch --undeploy
  check_equal "$PM: c is gone" "$(pgrep -f "$HOLD $TEST_DIR/cd.json")" ""
  check_equal "$PM: a still runs with its PID" "$(pid_of "$NIXPROC_HOME" alpha a)" "$a_pid"
  check_equal "$PM: b still runs with its PID" "$(pid_of "$NIXPROC_HOME" alpha b)" "$b_pid"
  check "$PM: alpha's status is all running" nixproc status --nixproc-home "$NIXPROC_HOME" -p alpha

  # alpha drops a; then alpha of the other home may take it, and alpha's
  # rollback to the generation with a is refused in turn.
  check "$PM: alpha drops a" as_profile "$NIXPROC_HOME" alpha switch "$TEST_DIR/b.json"
  check "$PM: the other home's alpha takes a" as_profile "$OTHER_HOME" alpha switch "$TEST_DIR/ac.json"
  other_a=$(pid_of "$OTHER_HOME" alpha a)
  check "$PM: its a runs" test -n "$other_a"
  output=$(as_profile "$NIXPROC_HOME" alpha switch --rollback 2>&1)
  check "$PM: alpha's rollback to a generation with a is refused" test $? -ne 0
  check_contains "$PM: naming the other home" "$output" "by profile alpha of nixproc home $OTHER_HOME"
  check_equal "$PM: the other home's a keeps its PID" "$(pid_of "$OTHER_HOME" alpha a)" "$other_a"
  check_equal "$PM: alpha stays at generation 2" \
    "$(as_profile "$NIXPROC_HOME" alpha switch --list-generations | awk '/current/ { print $1 }')" 2

  check "$PM: the other home undeploys" as_profile "$OTHER_HOME" alpha switch --undeploy
  check "$PM: now alpha may roll back" as_profile "$NIXPROC_HOME" alpha switch --rollback
  check "$PM: a runs again" test -n "$(pid_of "$NIXPROC_HOME" alpha a)"
  check "$PM: alpha undeploys" as_profile "$NIXPROC_HOME" alpha switch --undeploy
  check_equal "$PM: nothing left running" "$(test_processes | wc -l)" 0
  check "$PM: no claim left" test -z "$(ls "$STATE/lib/nixproc-claims")"
  for home in "$NIXPROC_HOME" "$OTHER_HOME"; do
    for profile in alpha beta; do as_profile "$home" "$profile" switch --delete-all-generations; done
  done
done
finish
