#!/bin/bash
# A switch killed at a random moment is repaired by the next one, whatever it
# was doing: every instance runs exactly once again (s6: exactly one
# s6-supervise per service and per log service, one s6-svscan), the journal
# is gone, and an undeploy leaves nothing behind. Switches deploy, change
# and undeploy 20 instances. The kill times are random but seeded:
# NIXPROC_CRASH_SEED=N replays a run, NIXPROC_CRASH_ROUNDS=N sets the rounds
# per process manager (default 8; supervisord and runit, whose switches
# take seconds each, get one in ten).
. "$(dirname "$0")/lib.sh"
HOLD=$NIXPROC_BIN/nixproc-test-hold
SEED=${NIXPROC_CRASH_SEED:-$((($(date +%s%N) / 1000) % 32768))}
ROUNDS=${NIXPROC_CRASH_ROUNDS:-8}
echo "seed $SEED (replay with NIXPROC_CRASH_SEED=$SEED)"
RANDOM=$SEED
COUNT=20

# VERSION changes the arguments of the first instance of each chain and the
# name of the last one, so a switch stops, restarts and starts instances.
instance_names() {  # instance_names VERSION
  local i
  for ((i = 1; i < COUNT; i++)); do printf 'i%02d\n' "$i"; done
  echo "last-$1"
}

# model FILE VERSION: 20 instances in chains of four (each depends on the one
# before).
model() {
  local file=$1 version=$2 i=0 name dependency separator=""
  echo "{" >"$file"
  for name in $(instance_names "$version"); do
    i=$((i + 1))
    dependency=$( ((i % 4 != 1)) && printf '"i%02d"' $((i - 1)))
    echo "$separator\"$name\": {\"pkg\": {\"instanceName\": \"$name\", \"foregroundProcess\": \"$HOLD\"," \
      "\"args\": [\"$( ((i % 4 == 1)) && echo "$version")\"], \"dependencies\": [$dependency]}}" >>"$file"
    separator=,
  done
  echo "}" >>"$file"
}
model "$TEST_DIR/one.json" one
model "$TEST_DIR/two.json" two

# The processes running the hold program: one per instance, no more.
holds() {
  local process
  for process in /proc/[0-9]*; do
    [ "$(readlink "$process/exe" 2>/dev/null)" = "$HOLD" ] && echo "${process#/proc/}"
  done
}

# s6: the directories s6-supervise processes watch, one line each.
supervised_dirs() {
  local pid
  for pid in $(pgrep -x s6-supervise); do readlink "/proc/$pid/cwd"; done | sort
}
expected_supervised_dirs() {  # expected_supervised_dirs VERSION
  local name
  [ "$1" = none ] && return
  for name in $(instance_names "$1"); do
    echo "$STATE/lib/nixproc-s6/sv/$name"
    echo "$STATE/lib/nixproc-s6/sv/$name/log"
  done | sort
}

all_running() { nixproc status >/dev/null; }

# check_deployed WHAT VERSION: the instances of that version all run, once
# (none: nothing runs).
check_deployed() {
  local count=$COUNT
  [ "$2" = none ] && count=0
  [ "$2" = none ] || check "$1: every instance runs" all_running
  check_equal "$1: one process per instance" "$(holds | wc -l)" "$count"
  check "$1: the journal is gone" test ! -e "$NIXPROC_HOME/profiles/.processes.switch"
  if [ "$PM" = s6 ]; then
    # comm -3: the directories without a supervisor, then (indented) those
    # with too many or that should have none.
    check_equal "$1: one s6-supervise per service and per log service" \
      "$(comm -3 <(expected_supervised_dirs "$2") <(supervised_dirs))" ""
    check_equal "$1: one s6-svscan" "$(pgrep -x s6-svscan | wc -l)" $((count > 0))
  fi
}

# switch_to VERSION: SWITCH becomes the command line of a switch to that
# version (none: undeploy); deploy VERSION runs it.
switch_to() {
  SWITCH=(nixproc switch -P "$PM" --state-dir "$STATE" --force-disable-user-change)
  if [ "$1" = none ]; then SWITCH+=(--undeploy); else SWITCH+=("$TEST_DIR/$1.json"); fi
}
deploy() {
  switch_to "$1"
  "${SWITCH[@]}"
}

# Processes the killed switch started may hold its lock a moment longer
# (forked, not yet executing their program); any that keeps it is named.
wait_for_profile_lock() {
  local lock=$NIXPROC_HOME/profiles/.processes.lock i
  for ((i = 0; i < 100; i++)); do flock -n "$lock" true && return; sleep 0.1; done
  fail "$PM: the profile lock is still held after the switch was killed"
  ls -l /proc/[0-9]*/fd/* 2>/dev/null | grep -F "$lock" >&2
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# pick_next: NEXT becomes one of the two versions other than CURRENT, at
# random (not in a subshell, whose RANDOM would not be the seeded one).
pick_next() {
  local others=()
  for NEXT in one two none; do [ "$NEXT" != "$CURRENT" ] && others+=("$NEXT"); done
  NEXT=${others[RANDOM % 2]}
}

# What a stop interrupted after it unlinked an s6 service leaves (the
# switch killed while its s6-svunlink ran): supervisors that are exiting.
# Starting the instance must not take them for its own: the process it
# reported started died a second later, its supervisor came back later
# still (one s6-supervise short meanwhile), and the logger's never exited.
check_interrupted_s6_stop() {
  local old started i
  cat >"$TEST_DIR/slow.json" <<JSON
{"x": {"pkg": {"instanceName": "x", "foregroundProcess": "/bin/sh",
               "args": ["-c", "trap 'sleep 1; exit 0' TERM; while :; do sleep 0.2; done"]}}}
JSON
  check "s6: deploy an instance that takes a second to stop" \
    nixproc switch -P s6 --state-dir "$STATE" --force-disable-user-change "$TEST_DIR/slow.json"
  old=$(status_pid x)
  s6-svunlink -X "$STATE/run/nixproc-s6/service" x
  check "s6: start it after its stop was interrupted" nixproc start x
  started=$(status_pid x)
  for ((i = 0; i < 200; i++)); do kill -0 "$old" 2>/dev/null || break; sleep 0.05; done
  check_fails "s6: the old process is gone" kill -0 "$old"
  check_equal "s6: the process start reported still runs" "$(status_pid x)" "$started"
  check_equal "s6: one supervisor for it and one for its logger" "$(supervised_dirs | tr '\n' ' ')" \
    "$STATE/lib/nixproc-s6/sv/x $STATE/lib/nixproc-s6/sv/x/log "
  check "s6: undeploy it" nixproc switch -P s6 --state-dir "$STATE" --force-disable-user-change --undeploy
}
runnable_pms | grep -qx s6 && check_interrupted_s6_stop

declare -A span
for PM in $(runnable_pms); do
  # How long each kind of switch takes here uninterrupted, so the kills
  # spread over the whole of it.
  CURRENT=none
  for NEXT in one two none; do
    started=$(now_ms)
    check "$PM: an uninterrupted switch from $CURRENT to $NEXT" deploy "$NEXT"
    span[$CURRENT-$NEXT]=$(($(now_ms) - started + 1))
    check_deployed "$PM: after it" "$NEXT"
    CURRENT=$NEXT
  done
  span[one-none]=${span[two-none]}
  span[none-two]=${span[none-one]}
  span[two-one]=${span[one-two]}
  rounds=$ROUNDS
  case $PM in supervisord | runit) rounds=$(((ROUNDS + 9) / 10)) ;; esac
  for ((round = 1; round <= rounds; round++)); do
    pick_next
    # A fraction of the span, so a replay kills at the same points of it.
    delay=$((span[$CURRENT-$NEXT] * (RANDOM * 32768 + RANDOM) / (1 << 30)))
    switch_to "$NEXT"
    "${SWITCH[@]}" >"$TEST_DIR/killed.log" 2>&1 &
    killed=$!  # nixproc itself; what it started keeps running, as after a crash
    sleep "$((delay / 1000)).$(printf %03d $((delay % 1000)))"
    kill -KILL "$killed" 2>/dev/null
    wait "$killed" 2>/dev/null
    wait_for_profile_lock
    what="$PM: round $round (seed $SEED, $CURRENT to $NEXT killed after $delay of ${span[$CURRENT-$NEXT]} ms)"
    if ! deploy "$NEXT" >"$TEST_DIR/repair.log" 2>&1; then
      fail "$what: the next switch succeeds"
      cat "$TEST_DIR/killed.log" "$TEST_DIR/repair.log" >&2
    fi
    check_deployed "$what" "$NEXT"
    CURRENT=$NEXT
  done
  check "$PM: undeploy" deploy none
  check_equal "$PM: nothing left running" "$(test_processes | wc -l)" 0
  check "$PM: delete the generations" nixproc switch --delete-all-generations
  echo "$PM: $SECONDS s since the test started"
done
finish
