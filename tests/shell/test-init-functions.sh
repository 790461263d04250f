#!/bin/bash
# The init-functions library with real processes: exit codes and messages of
# pidofproc, statusproc, start_daemon, killproc and evaluate_retval, stale and
# reused PID files, TERM-then-KILL, several instances of one program.
set -u
: "${NIXPROC_BIN:?set NIXPROC_BIN to the bin directory of the build}"
: "${NIXPROC_SOURCE:?set NIXPROC_SOURCE to the source tree}"
if [ ! -x "$NIXPROC_BIN/nixproc-pidof" ]; then
  echo "skipped: $NIXPROC_BIN/nixproc-pidof is missing"
  exit 77
fi
export NIXPROC_BIN
. "$NIXPROC_SOURCE/share/nixproc/init-functions"
HOLD=$NIXPROC_BIN/nixproc-test-hold
DIR=$(mktemp -d /tmp/nixproc-init-functions-XXXXXX)
passed=0
failed=0
started=()
cleanup() {
  local pid
  for pid in "${started[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  rm -rf "$DIR"
}
trap cleanup EXIT

expect() {  # expect DESCRIPTION EXPECTED_STATUS COMMAND...
  local what=$1 want=$2 got
  shift 2
  "$@" >"$DIR/out" 2>&1
  got=$?
  if [ "$got" = "$want" ]; then passed=$((passed + 1)); echo "ok - $what"; else
    failed=$((failed + 1)); echo "FAILED - $what: status $got, expected $want: $(cat "$DIR/out")" >&2; fi
}
expect_output() {  # expect_output DESCRIPTION TEXT
  if grep -qF -- "$2" "$DIR/out"; then passed=$((passed + 1)); echo "ok - $1"; else
    failed=$((failed + 1)); echo "FAILED - $1: [$2] not in [$(cat "$DIR/out")]" >&2; fi
}

# A daemonising instance of the hold program with its own PID file.
start_hold() {  # start_hold NAME
  PID_FILE=$DIR/$1.pid "$HOLD" -D
  started+=("$(cat "$DIR/$1.pid")")
}
alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

# --- pidofproc / statusproc
expect "pidofproc: no PID file, not running" 3 pidofproc -p "$DIR/a.pid" "$HOLD"
expect "statusproc: not running" 3 statusproc -p "$DIR/a.pid" "$HOLD"
expect_output "statusproc says so" "$HOLD is not running."
start_hold a
a=$(cat "$DIR/a.pid")
expect "pidofproc: running" 0 pidofproc -p "$DIR/a.pid" "$HOLD"
expect_output "pidofproc prints the PID" "$a"
expect "statusproc: running" 0 statusproc -p "$DIR/a.pid" "$HOLD"
expect_output "statusproc names the PID" "nixproc-test-hold is running with Process ID(s) $a."
expect "pidofproc: the file of another program is stale" 1 pidofproc -p "$DIR/a.pid" /bin/sleep
expect "pidofproc: usage error" 4 pidofproc -p "$DIR/a.pid"
expect "statusproc: usage error" 4 statusproc
echo 999999 >"$DIR/dead.pid"
expect "pidofproc: a dead PID is stale" 1 pidofproc -p "$DIR/dead.pid" "$HOLD"
expect "statusproc: dead with a PID file" 1 statusproc -p "$DIR/dead.pid" "$HOLD"
expect_output "statusproc says the PID file exists" "is not running but $DIR/dead.pid exists."
# A live PID written before that process started: the kernel reused it.
echo "$a" >"$DIR/reused.pid"
touch -d '2001-01-01' "$DIR/reused.pid"
expect "pidofproc: a reused PID is stale" 1 pidofproc -p "$DIR/reused.pid" "$HOLD"
expect "pidofproc without -p finds the program" 0 pidofproc "$HOLD"

# --- start_daemon
PID_FILE=$DIR/a.pid expect "start_daemon: a running instance is not started again" 0 \
  start_daemon -p "$DIR/a.pid" "$HOLD" -D
expect "its PID file still names the first instance" 0 test "$(cat "$DIR/a.pid")" = "$a"
expect "start_daemon: unknown option" 2 start_daemon -x "$HOLD"
expect "start_daemon: missing program" 5 start_daemon -p "$DIR/x.pid" "$DIR/missing"
echo 999999 >"$DIR/b.pid"
PID_FILE=$DIR/b.pid expect "start_daemon: a stale PID file is replaced" 0 \
  start_daemon -p "$DIR/b.pid" "$HOLD" -D
b=$(cat "$DIR/b.pid")
started+=("$b")
expect "the new instance runs" 0 alive "$b"
PID_FILE=$DIR/c.pid expect "start_daemon -n sets the nice level" 0 \
  start_daemon -f -n 5 -p "$DIR/c.pid" "$HOLD" -D
c=$(cat "$DIR/c.pid")
started+=("$c")
expect "the nice level is 5" 0 test "$(ps -o ni= -p "$c" | tr -d ' ')" = 5

# --- killproc: instances are independent
expect "killproc: a control signal is sent" 0 killproc -p "$DIR/c.pid" "$HOLD" -HUP
sleep 0.2
expect "HUP ended the instance (hold has no HUP handler)" 1 alive "$c"
expect "killproc: stops one instance" 0 killproc -p "$DIR/b.pid" "$HOLD"
expect "that instance is gone" 1 alive "$b"
expect "its PID file is removed" 1 test -e "$DIR/b.pid"
expect "the other instance still runs" 0 alive "$a"
expect "killproc: nothing to stop is a success" 0 killproc -p "$DIR/b.pid" "$HOLD"
expect "killproc: a signal for nothing is status 7" 7 killproc -p "$DIR/b.pid" "$HOLD" -HUP
expect "killproc: unknown signal" 2 killproc -p "$DIR/a.pid" "$HOLD" -NOSUCHSIGNAL
expect "killproc: too many arguments" 2 killproc -p "$DIR/a.pid" "$HOLD" -TERM extra
expect "killproc: missing program" 5 killproc "$DIR/missing"

# A process that ignores TERM gets KILL after KILLDELAY seconds.
setsid bash -c 'trap "" TERM; echo $$ > "$0"; exec sleep 1000' "$DIR/stubborn.pid" &
for i in $(seq 50); do [ -s "$DIR/stubborn.pid" ] && break; sleep 0.1; done
stubborn=$(cat "$DIR/stubborn.pid")
started+=("$stubborn")
KILLDELAY=1
start=$(date +%s%N)
expect "killproc: TERM, then KILL" 0 killproc -p "$DIR/stubborn.pid" /bin/sleep
elapsed=$((($(date +%s%N) - start) / 1000000))
expect "the stubborn process is gone" 1 alive "$stubborn"
expect "it took at least KILLDELAY and stayed bounded ($elapsed ms)" 0 test "$elapsed" -ge 900 -a "$elapsed" -lt 5000
KILLDELAY=3

# --- evaluate_retval passes the status on
expect "evaluate_retval: success" 0 bash -c ". '$NIXPROC_SOURCE/share/nixproc/init-functions'; true; evaluate_retval"
expect_output "and prints OK" "[  OK  ]"
expect "evaluate_retval: failure keeps its status" 3 bash -c ". '$NIXPROC_SOURCE/share/nixproc/init-functions'; (exit 3); evaluate_retval"
expect_output "and prints FAIL" "[ FAIL ]"
expect "sourcing changes neither umask nor PATH" 0 bash -c "umask 077; p=\$PATH; . '$NIXPROC_SOURCE/share/nixproc/init-functions'; [ \"\$(umask)\" = 0077 ] && [ \"\$PATH\" = \"\$p\" ]"
expect "log_info_msg prints six spaces and the message" 0 log_info_msg "Starting thing..."
expect_output "the message" "      Starting thing..."

expect "killproc: the last instance" 0 killproc -p "$DIR/a.pid" "$HOLD"
expect "gone" 1 alive "$a"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
