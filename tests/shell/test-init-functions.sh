#!/bin/bash
# Tests of share/nixproc/init-functions with real processes: exit codes and
# output of pidofproc, statusproc, start_daemon, killproc, evaluate_retval and
# the log functions; stale and reused PID files, TERM-then-KILL, control
# signals, several instances of one program, and a generated-style init
# script run with set -u and set -e off and on.
#
# Environment: NIXPROC_BIN, the directory holding nixproc-pidof (required;
# exit 77 if the tool is not there); NIXPROC_SOURCE, the source tree
# (defaults to the tree this file is in).
# shellcheck disable=SC2016 # the bash -c programs expand their own arguments
# shellcheck disable=SC2034 # BOOTLOG and KILLDELAY are read by the library
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE=${NIXPROC_SOURCE:-$HERE/../..}
LIBRARY=$SOURCE/share/nixproc/init-functions

# shellcheck source=lib.sh
. "$HERE/lib.sh"

if [ -z "${NIXPROC_BIN:-}" ]; then
  t_skip "NIXPROC_BIN is not set (it should name the build's bin directory)"
fi
if [ ! -x "$NIXPROC_BIN/nixproc-pidof" ]; then
  t_skip "$NIXPROC_BIN/nixproc-pidof is missing; build the project first"
fi
NIXPROC_BIN=$(cd "$NIXPROC_BIN" && pwd)
export NIXPROC_BIN
if [ ! -r "$LIBRARY" ]; then
  echo "cannot read $LIBRARY" >&2
  exit 1
fi
# Nothing from the caller's environment may change the library's behaviour.
unset NIXPROC_RUNTIME_DIR BOOTLOG KILLDELAY COLUMNS

# shellcheck source=../../share/nixproc/init-functions
. "$LIBRARY"

mkdir -p "$T_DIR/bin" "$T_DIR/run" "$T_DIR/init.d"

# --- The test daemon --------------------------------------------------------
# testd PIDFILE [ignore-term] [log=FILE] [fail=N]: records each call in
# $T_DIR/invocations, daemonises (new session, stdio on /dev/null) and returns
# once the daemon has written PIDFILE. The daemon runs until it is killed,
# appends "HUP" to the log file for each SIGHUP, and with ignore-term ignores
# SIGTERM. fail=N: exit N at once without starting anything.
cat >"$T_DIR/bin/testd" <<'EOF'
#!/bin/bash
if [ "${1:-}" = --run ]; then
  shift
  pidfile=$1
  log=/dev/null
  for option in "$@"; do
    case $option in
      ignore-term) trap '' TERM ;;
      log=*) log=${option#log=} ;;
    esac
  done
  trap 'echo HUP >>"$log"' HUP
  fifo=$pidfile.fifo.$$
  mkfifo "$fifo" && exec 3<>"$fifo" && rm -f "$fifo" || exit 1
  echo $$ >"$pidfile.tmp.$$" && mv -f "$pidfile.tmp.$$" "$pidfile" || exit 1
  while :; do
    read -r -t 1 -u 3 _
  done
fi
echo "$*" >>"${0%/bin/*}/invocations"
pidfile=$1
for option in "$@"; do
  case $option in
    fail=*) exit "${option#fail=}" ;;
  esac
done
setsid "$0" --run "$@" </dev/null >/dev/null 2>&1 &
child=$!
for _ in $(seq 100); do
  if [ "$(cat "$pidfile" 2>/dev/null)" = "$child" ]; then
    exit 0
  fi
  sleep 0.05
done
exit 1
EOF
chmod 755 "$T_DIR/bin/testd"
TESTD=$T_DIR/bin/testd
# A program of a unique name for the tests that scan all processes.
SCAND=$T_DIR/bin/scand-$$
cp "$TESTD" "$SCAND"

invocations() { if [ -e "$T_DIR/invocations" ]; then wc -l <"$T_DIR/invocations"; else echo 0; fi; }
pid_in() { head -n 1 "$1" 2>/dev/null; }
alive() { _nixproc_alive "$1"; }
gone() { ! _nixproc_alive "$1"; }
nice_of() {
  local stat fields
  read -r stat <"/proc/$1/stat" && read -ra fields <<<"${stat##*) }" && echo "${fields[16]}"
}
# launch NAME [OPTIONS...]: a testd instance with PID file $T_DIR/run/NAME.pid.
launch() {
  local name=$1
  shift
  "$TESTD" "$T_DIR/run/$name.pid" "$@" && t_track_pid "$(pid_in "$T_DIR/run/$name.pid")"
}
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }

# --- Sourcing ---------------------------------------------------------------
run bash -c 'set -u
  umask 0077
  before_path=$PATH
  before_vars=$(compgen -v | grep -v -e "^BASH" -e "^_$" -e "^FUNCNAME$" -e "^PIPESTATUS$" | sort)
  before_opts="$- $(shopt -p | md5sum)"
  . "$1"
  status=$?
  after_vars=$(compgen -v | grep -v -e "^BASH" -e "^_$" -e "^FUNCNAME$" -e "^PIPESTATUS$" -e "^before_" -e "^status$" | sort)
  echo "status=$status umask=$(umask) path_same=$([ "$PATH" = "$before_path" ] && echo yes)"
  echo "opts_same=$([ "$before_opts" = "$- $(shopt -p | md5sum)" ] && echo yes)"
  echo "new: $(comm -13 <(echo "$before_vars") <(echo "$after_vars") | grep -v "^_nixproc_" | tr "\n" " ")"
  echo "bootlog=${BOOTLOG-unset}"' sourcing "$LIBRARY"
assert_eq "sourcing with set -u succeeds and prints nothing else" \
  "$(head -n 1 <<<"$T_OUT")" "status=0 umask=0077 path_same=yes"
assert_out_has "sourcing keeps shell options" "opts_same=yes"
assert_out_has "sourcing only adds KILLDELAY (and _nixproc_ variables)" "new: KILLDELAY "
assert_out_has "sourcing sets no BOOTLOG" "bootlog=unset"
assert_eq "sourcing writes nothing to stderr" "$T_ERR" ""

# The library finds <runtime>/bin from <runtime>/share/init-functions.
mkdir -p "$T_DIR/runtime/share" "$T_DIR/runtime/bin"
cp "$LIBRARY" "$T_DIR/runtime/share/init-functions"
ln -s "$NIXPROC_BIN/nixproc-pidof" "$T_DIR/runtime/bin/nixproc-pidof"
run env -u NIXPROC_BIN PATH=/usr/bin:/bin bash -c 'cd "$1/runtime" && . share/init-functions && cd / &&
  echo "$NIXPROC_BIN" && pidofproc -p "$1/run/none.pid" /bin/sleep' find "$T_DIR"
assert_eq "without NIXPROC_BIN, the library uses ../bin beside share/ (absolute)" \
  "$(head -n 1 <<<"$T_OUT")" "$T_DIR/runtime/share/../bin"
assert_eq "and finds nixproc-pidof there after a cd" "$T_STATUS" 3
run env NIXPROC_BIN=/nonexistent PATH=/usr/bin:/bin bash -c '. "$1"; pidofproc -p /x.pid /bin/sleep' find "$LIBRARY"
assert_eq "a missing nixproc-pidof makes the status unknown (4)" "$T_STATUS" 4
assert_err_has "and says so" "nixproc-pidof not found"

# --- Log functions and evaluate_retval ---------------------------------------
expect "log_info_msg succeeds" 0 log_info_msg "Starting thing..."
assert_eq "log_info_msg prints six spaces and the message, no newline" \
  "$(cat "$T_DIR/.out")" "      Starting thing..."
assert_eq "log_info_msg ends without a newline" "$(tail -c 1 "$T_DIR/.out" | od -An -c | tr -d ' ')" "."
COLUMNS=40
run log_success_msg "Hi"
assert_out "log_success_msg right-aligns [  OK  ] (COLUMNS=40)" "      Hi                       [  OK  ]"
run log_failure_msg "Hi"
assert_out "log_failure_msg prints [ FAIL ]" "      Hi                       [ FAIL ]"
run log_warning_msg "Hi"
assert_out "log_warning_msg prints [ WARN ]" "      Hi                       [ WARN ]"
run log_skip_msg "Hi"
assert_out "log_skip_msg prints [ SKIP ]" "      Hi                       [ SKIP ]"
run eval 'log_info_msg "Go"; log_info_msg2 " on"; log_success_msg2'
assert_out "log_info_msg2 continues the line, log_success_msg2 ends it" \
  "      Go on                    [  OK  ]"
run eval 'log_info_msg "Go"; log_failure_msg2'
assert_out "log_failure_msg2 ends the line with FAIL" "      Go                       [ FAIL ]"
run log_success_msg "A message far too long to leave room for the marker"
assert_out "a long message gets one space before the marker" \
  "      A message far too long to leave room for the marker [  OK  ]"
unset COLUMNS
run log_success_msg "Hi"
assert_eq "the default width is 80 columns" "${#T_OUT}" 79
case $T_OUT in
  *$'\033'*) t_fail "no escape sequences without a terminal" ;;
  *) t_pass "no escape sequences without a terminal" ;;
esac
if command -v script >/dev/null 2>&1; then
  run script -qec "bash -c '. \"$LIBRARY\"; log_success_msg Hi'" /dev/null
  case $T_OUT in
    *$'\033['*'  OK  '*) t_pass "colour on a terminal" ;;
    *) t_fail "colour on a terminal: [$T_OUT]" ;;
  esac
fi

expect "evaluate_retval returns 0 after success" 0 eval 'log_info_msg "Doing"; true; evaluate_retval'
assert_out_has "and prints OK on the same line" "      Doing"
assert_out_has "  (marker)" "[  OK  ]"
expect "evaluate_retval returns the failing status" 3 eval 'log_info_msg "Doing"; (exit 3); evaluate_retval'
assert_out_has "and prints FAIL" "[ FAIL ]"
expect "a script ending in evaluate_retval exits with the failure" 1 \
  bash -c '. "$1"; log_info_msg "Starting x..."; false; evaluate_retval' x "$LIBRARY"

# Boot log: only with BOOTLOG set; never an error.
run bash -c '. "$1"; cd "$2"; log_success_msg "No log"; log_info_msg "x"; evaluate_retval; ls -A' x "$LIBRARY" "$T_DIR/init.d"
assert_eq "without BOOTLOG nothing is written and nothing fails" "$T_STATUS$T_ERR" 0
BOOTLOG=$T_DIR/bootlog
run eval 'log_info_msg "Starting a..."; true; evaluate_retval; log_warning_msg "Careful"; log_info_msg "Starting b..."; false; evaluate_retval'
unset BOOTLOG
run cat "$T_DIR/bootlog"
stamp='[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'
if [[ $T_OUT == $stamp" Starting a... OK"$'\n'$stamp" Careful WARN"$'\n'$stamp" Starting b... FAIL" ]]; then
  t_pass "BOOTLOG gets one time-stamped line per message, with its result"
else
  t_fail "BOOTLOG gets one time-stamped line per message, with its result: [$T_OUT]"
fi
BOOTLOG=/nonexistent/dir/bootlog
expect "an unwritable BOOTLOG is ignored" 0 log_success_msg "x"
assert_eq "  silently" "$T_ERR" ""
unset BOOTLOG

# --- Helpers ---------------------------------------------------------------
for value in 1 y yes YES t true True on; do
  assert "is_true $value" is_true "$value"
done
for value in 0 n no false off "" maybe; do
  assert_not "is_true rejects [$value]" is_true "$value"
done
for signal in -HUP HUP SIGHUP hup 1 -1 -TERM 15 -USR1 -RTMIN+1; do
  assert "check_signal $signal" check_signal "$signal"
done
for signal in -NOSUCH 0 -0 65 143 "" -; do
  assert_not "check_signal rejects [$signal]" check_signal "$signal"
done
for signal in ALRM INT KILL TERM PWR STOP ABRT QUIT -TERM SIGINT 2 3 6 9 14 -15; do
  assert "check_sig_type: $signal ends a process" check_sig_type "$signal"
done
for signal in HUP -HUP USR1 USR2 CONT 1 10 -NOSUCH; do
  assert_not "check_sig_type: $signal is no termination signal" check_sig_type "$signal"
done

# --- pidofproc and statusproc ------------------------------------------------
expect "pidofproc: no PID file, not running: 3" 3 pidofproc -p "$T_DIR/run/a.pid" "$TESTD"
assert_out "  prints nothing" ""
expect "statusproc: not running: 3" 3 statusproc -p "$T_DIR/run/a.pid" "$TESTD"
assert_out "  says so" "$TESTD is not running."
assert "testd instance a daemonises" launch a
a=$(pid_in "$T_DIR/run/a.pid")
expect "pidofproc: running: 0" 0 pidofproc -p "$T_DIR/run/a.pid" "$TESTD"
assert_out "  prints the PID" "$a"
expect "pidofproc: a bare program name works too" 0 pidofproc -p "$T_DIR/run/a.pid" testd
expect "statusproc: running: 0" 0 statusproc -p "$T_DIR/run/a.pid" "$TESTD"
assert_out "  names the PID" "testd is running with Process ID(s) $a."
expect "pidofproc: the PID file of another program is stale: 1" 1 pidofproc -p "$T_DIR/run/a.pid" /bin/sleep
assert_out "  prints nothing" ""
expect "pidofproc: no pathname: 4" 4 pidofproc -p "$T_DIR/run/a.pid"
expect "pidofproc: two pathnames: 4" 4 pidofproc "$TESTD" "$TESTD"
expect "pidofproc: unknown option: 4" 4 pidofproc -x "$TESTD"
expect "pidofproc: -p without a file: 4" 4 pidofproc -p
expect "statusproc: no arguments: 4" 4 statusproc
assert_err_has "  prints the usage" "usage: statusproc"
expect "statusproc: too many arguments: 4" 4 statusproc "$TESTD" extra

echo 999999999 >"$T_DIR/run/dead.pid"
expect "pidofproc: a dead PID is stale: 1" 1 pidofproc -p "$T_DIR/run/dead.pid" "$TESTD"
expect "statusproc: dead with a PID file: 1" 1 statusproc -p "$T_DIR/run/dead.pid" "$TESTD"
assert_out "  says the PID file exists" "$TESTD is not running but $T_DIR/run/dead.pid exists."
echo garbage >"$T_DIR/run/garbage.pid"
expect "pidofproc: a PID file without a PID is stale: 1" 1 pidofproc -p "$T_DIR/run/garbage.pid" "$TESTD"

# A live PID written before that process started: the kernel reused it.
echo "$a" >"$T_DIR/run/reused.pid"
touch -d '2001-01-01' "$T_DIR/run/reused.pid"
expect "pidofproc: a PID file older than its process is stale: 1" 1 pidofproc -p "$T_DIR/run/reused.pid" "$TESTD"
expect "statusproc: so is the program: 1" 1 statusproc -p "$T_DIR/run/reused.pid" "$TESTD"

# A PID file naming a live process of a different program.
(exec -a "$T_DIR/other" sleep 1000) &
other=$!
t_track_pid "$other"
# (A function, so the command line is read again at every try.)
other_runs() { [ "$(tr '\0' ' ' <"/proc/$other/cmdline" 2>/dev/null)" = "$T_DIR/other 1000 " ]; }
t_wait_for "a different program runs" 50 other_runs
echo "$other" >"$T_DIR/run/other.pid"
expect "pidofproc: a PID file naming another program is stale: 1" 1 pidofproc -p "$T_DIR/run/other.pid" "$TESTD"
expect "statusproc: 1 for it too" 1 statusproc -p "$T_DIR/run/other.pid" "$TESTD"
expect "killproc: nothing of ours to stop there: 0" 0 killproc -p "$T_DIR/run/other.pid" "$TESTD"
assert "  the other program was not signalled" alive "$other"
assert_not "  the stale PID file is removed" test -e "$T_DIR/run/other.pid"

# --- start_daemon -----------------------------------------------------------
before=$(invocations)
expect "start_daemon -p: a running instance is not started again: 0" 0 \
  start_daemon -p "$T_DIR/run/a.pid" "$TESTD" "$T_DIR/run/a.pid"
assert_eq "  the program was not run" "$(invocations)" "$before"
assert_eq "  the PID file still names the first instance" "$(pid_in "$T_DIR/run/a.pid")" "$a"
assert_out "  nothing printed" ""
expect "start_daemon -f runs the program anyway and returns its status" 0 \
  start_daemon -f -p "$T_DIR/run/a.pid" "$TESTD" "$T_DIR/run/a.pid" fail=0
assert_eq "  the program was run" "$(invocations)" $((before + 1))
expect "start_daemon returns the program's failure" 6 start_daemon -f "$TESTD" "$T_DIR/run/x.pid" fail=6
expect "start_daemon: unknown option: 2" 2 start_daemon -x "$TESTD"
expect "start_daemon: -n without a value: 2" 2 start_daemon -n
expect "start_daemon: -n with a bad value: 2" 2 start_daemon -n abc "$TESTD"
expect "start_daemon: -p without a file: 2" 2 start_daemon -p
expect "start_daemon: no pathname: 2" 2 start_daemon -f
expect "start_daemon: missing program: 5" 5 start_daemon -p "$T_DIR/run/x.pid" "$T_DIR/bin/missing"
touch "$T_DIR/bin/not-executable"
expect "start_daemon: not executable: 5" 5 start_daemon "$T_DIR/bin/not-executable"
expect "start_daemon: a directory: 5" 5 start_daemon "$T_DIR/bin"
expect "start_daemon: a name not on PATH: 5" 5 start_daemon nixproc-no-such-program-$$
assert_eq "  nothing of these ran" "$(invocations)" $((before + 2))

echo 999999999 >"$T_DIR/run/b.pid"
expect "start_daemon -p: a stale PID file is replaced: 0" 0 \
  start_daemon -p "$T_DIR/run/b.pid" "$TESTD" "$T_DIR/run/b.pid"
b=$(pid_in "$T_DIR/run/b.pid")
t_track_pid "$b"
assert "  the new instance b runs" alive "$b"
expect "start_daemon -p: a reused PID does not count as running" 0 \
  start_daemon -p "$T_DIR/run/reused.pid" "$TESTD" "$T_DIR/run/reused.pid"
reused=$(pid_in "$T_DIR/run/reused.pid")
t_track_pid "$reused"
assert "  a new instance started" test "$reused" != "$a"
assert "  it runs" alive "$reused"
expect "start_daemon -n 7 sets the nice level" 0 \
  start_daemon -n 7 -p "$T_DIR/run/c.pid" "$TESTD" "$T_DIR/run/c.pid" "log=$T_DIR/c.log"
c=$(pid_in "$T_DIR/run/c.pid")
t_track_pid "$c"
assert_eq "  the daemon's nice level is 7" "$(nice_of "$c")" 7
PATH_BEFORE=$PATH
PATH=$T_DIR/bin:$PATH
expect "start_daemon finds a program on PATH" 0 start_daemon -p "$T_DIR/run/d.pid" testd "$T_DIR/run/d.pid"
d=$(pid_in "$T_DIR/run/d.pid")
t_track_pid "$d"
PATH=$PATH_BEFORE
assert "  it runs" alive "$d"

# --- killproc: instances are independent ------------------------------------
expect "killproc -HUP sends a control signal: 0" 0 killproc -p "$T_DIR/run/c.pid" "$TESTD" -HUP
t_wait_for "  the daemon got it" 50 grep -q HUP "$T_DIR/c.log"
assert "  and still runs" alive "$c"
assert "  its PID file stays" test -e "$T_DIR/run/c.pid"
expect "killproc with the signal number 1 (no dash): 0" 0 killproc -p "$T_DIR/run/c.pid" "$TESTD" 1
two_hups() { [ "$(grep -c HUP "$T_DIR/c.log")" = 2 ]; }
t_wait_for "  the daemon got a second HUP" 50 two_hups
expect "killproc SIGUSR1-style name: 0" 0 killproc -p "$T_DIR/run/c.pid" "$TESTD" SIGCONT

expect "killproc stops instance b: 0" 0 killproc -p "$T_DIR/run/b.pid" "$TESTD"
assert "  b is gone" gone "$b"
assert_not "  b's PID file is removed" test -e "$T_DIR/run/b.pid"
assert "  instance a still runs" alive "$a"
assert "  instance c still runs" alive "$c"
assert "  a's PID file stays" test -e "$T_DIR/run/a.pid"
expect "statusproc b: not running: 3" 3 statusproc -p "$T_DIR/run/b.pid" "$TESTD"
expect "killproc: nothing to stop is a success: 0" 0 killproc -p "$T_DIR/run/b.pid" "$TESTD"
expect "killproc: a signal for nothing: 7" 7 killproc -p "$T_DIR/run/b.pid" "$TESTD" -HUP
expect "killproc: a termination signal for nothing: 7" 7 killproc -p "$T_DIR/run/b.pid" "$TESTD" -TERM
echo 999999999 >"$T_DIR/run/stale.pid"
expect "killproc: a stale PID file, nothing to stop: 0" 0 killproc -p "$T_DIR/run/stale.pid" "$TESTD"
assert_not "  the stale PID file is removed" test -e "$T_DIR/run/stale.pid"
echo 999999999 >"$T_DIR/run/stale.pid"
expect "killproc: a stale PID file with a control signal: 7" 7 killproc -p "$T_DIR/run/stale.pid" "$TESTD" -HUP
expect "killproc: unknown signal: 2" 2 killproc -p "$T_DIR/run/a.pid" "$TESTD" -NOSUCHSIGNAL
expect "killproc: signal 0: 2" 2 killproc -p "$T_DIR/run/a.pid" "$TESTD" 0
expect "killproc: too many arguments: 2" 2 killproc -p "$T_DIR/run/a.pid" "$TESTD" -TERM extra
expect "killproc: no arguments: 2" 2 killproc
expect "killproc: unknown option: 2" 2 killproc -x "$TESTD"
expect "killproc: missing program: 5" 5 killproc "$T_DIR/bin/missing"
assert "  a survived all that" alive "$a"
expect "killproc -TERM (explicit) stops d: 0" 0 killproc -p "$T_DIR/run/d.pid" "$TESTD" -TERM
assert "  d is gone" gone "$d"
assert_not "  d's PID file is removed" test -e "$T_DIR/run/d.pid"

# A process that ignores TERM gets KILL after KILLDELAY seconds.
assert "a TERM-ignoring instance starts" launch stubborn ignore-term
stubborn=$(pid_in "$T_DIR/run/stubborn.pid")
KILLDELAY=1
start=$(now_ms)
expect "killproc -TERM (explicit) has no KILL fallback: 1" 1 killproc -p "$T_DIR/run/stubborn.pid" "$TESTD" -TERM
elapsed=$(($(now_ms) - start))
assert "  it waited KILLDELAY ($elapsed ms)" test "$elapsed" -ge 900 -a "$elapsed" -lt 4000
assert "  the process still runs" alive "$stubborn"
assert "  its PID file stays" test -e "$T_DIR/run/stubborn.pid"
start=$(now_ms)
expect "killproc (default): TERM, then KILL: 0" 0 killproc -p "$T_DIR/run/stubborn.pid" "$TESTD"
elapsed=$(($(now_ms) - start))
assert "  the stubborn process is gone" gone "$stubborn"
assert "  it took KILLDELAY and stayed bounded ($elapsed ms)" test "$elapsed" -ge 900 -a "$elapsed" -lt 4000
assert_not "  its PID file is removed" test -e "$T_DIR/run/stubborn.pid"
KILLDELAY=3
assert "another TERM-ignoring instance starts" launch stubborn2 ignore-term
stubborn2=$(pid_in "$T_DIR/run/stubborn2.pid")
start=$(now_ms)
expect "killproc -KILL (explicit) ends it at once: 0" 0 killproc -p "$T_DIR/run/stubborn2.pid" "$TESTD" -KILL
elapsed=$(($(now_ms) - start))
assert "  it is gone" gone "$stubborn2"
assert "  without waiting for KILLDELAY ($elapsed ms)" test "$elapsed" -lt 2000
unset KILLDELAY

expect "killproc stops the last testd instances: a" 0 killproc -p "$T_DIR/run/a.pid" "$TESTD"
expect "  c" 0 killproc -p "$T_DIR/run/c.pid" "$TESTD"
expect "  reused" 0 killproc -p "$T_DIR/run/reused.pid" "$TESTD"
assert "  all gone" eval "gone $a && gone $c && gone $reused"
assert "the other program was never touched" alive "$other"

# --- Without a PID file: scans, the default PID file, self-exclusion ---------
name=${SCAND##*/}
expect "pidofproc without -p: nothing runs: 3" 3 pidofproc "$SCAND"
"$SCAND" "$T_DIR/run/s1.pid" && "$SCAND" "$T_DIR/run/s2.pid"
s1=$(pid_in "$T_DIR/run/s1.pid")
s2=$(pid_in "$T_DIR/run/s2.pid")
t_track_pid "$s1" "$s2"
expect "pidofproc without -p finds every instance: 0" 0 pidofproc "$SCAND"
assert_eq "  both PIDs" "$(tr ' ' '\n' <<<"$T_OUT" | sort -n | tr '\n' ' ')" "$(printf '%s\n' "$s1" "$s2" | sort -n | tr '\n' ' ')"
expect "statusproc without -p: 0" 0 statusproc "$SCAND"
assert_out_has "  lists both" "$name is running with Process ID(s) "
# An init script named like its program must not find itself (nor its parent).
cat >"$T_DIR/init.d/$name" <<EOF
#! /bin/bash
. '$LIBRARY'
case "\$1" in
  status) pidofproc '$SCAND' ;;
  nested) bash "\$0" status ;;
esac
EOF
run bash "$T_DIR/init.d/$name" status
assert_eq "a script named like the program does not report itself" \
  "$(tr ' ' '\n' <<<"$T_OUT" | sort -n | tr '\n' ' ')" "$(printf '%s\n' "$s1" "$s2" | sort -n | tr '\n' ' ')"
run bash "$T_DIR/init.d/$name" nested
assert_eq "  nor its parent script" \
  "$(tr ' ' '\n' <<<"$T_OUT" | sort -n | tr '\n' ' ')" "$(printf '%s\n' "$s1" "$s2" | sort -n | tr '\n' ' ')"
export NIXPROC_RUNTIME_DIR=$T_DIR/run
cp "$T_DIR/run/s1.pid" "$T_DIR/run/$name.pid"
expect "with NIXPROC_RUNTIME_DIR, pidofproc uses <dir>/<basename>.pid when it exists" 0 pidofproc "$SCAND"
assert_out "  and reports only its PID" "$s1"
expect "killproc without -p uses it too" 0 killproc "$SCAND"
assert "  s1 is gone" gone "$s1"
assert "  s2 still runs" alive "$s2"
assert_not "  the default PID file is removed" test -e "$T_DIR/run/$name.pid"
echo 999999999 >"$T_DIR/run/$name.pid"
expect "statusproc without -p: a stale default PID file: 1" 1 statusproc "$SCAND"
assert_out "  names it" "$SCAND is not running but $T_DIR/run/$name.pid exists."
expect "start_daemon without -p: a stale default PID file counts as not running" 0 \
  start_daemon "$SCAND" "$T_DIR/run/s3.pid"
s3=$(pid_in "$T_DIR/run/s3.pid")
t_track_pid "$s3"
assert "  a new instance runs" alive "$s3"
assert_not "  the stale default PID file is removed" test -e "$T_DIR/run/$name.pid"
unset NIXPROC_RUNTIME_DIR
before=$(invocations)
expect "start_daemon without -p: the program runs already: 0" 0 start_daemon "$SCAND" "$T_DIR/run/s4.pid"
assert_not "  it was not started again" test -e "$T_DIR/run/s4.pid"
expect "killproc without -p stops every instance: 0" 0 killproc "$SCAND"
assert "  s2 and s3 are gone" eval "gone $s2 && gone $s3"
expect "pidofproc without -p: 3 again" 3 pidofproc "$SCAND"

# --- A generated-style init script, with set -u and set -e off and on --------
write_script() {  # write_script FILE SHELL-OPTIONS PROGRAM
  cat >"$1" <<EOF
#! /bin/bash
## BEGIN INIT INFO
# Provides:      webapp
# Default-Start: 3 4 5
# Default-Stop:  0 1 2 6
# Description:   Test daemon
## END INIT INFO
$2
. '$LIBRARY'
umask 022
export TESTD_LOG='$T_DIR/webapp.log'
case "\$1" in
  start)
    log_info_msg "Starting Test daemon..."
    ( set -e
      mkdir -p '$T_DIR/run/webapp' ) && start_daemon -p '$T_DIR/run/webapp/webapp.pid' '$3' '$T_DIR/run/webapp/webapp.pid' "log=\$TESTD_LOG"
    evaluate_retval
    ;;
  stop)
    log_info_msg "Stopping Test daemon..."
    killproc -p '$T_DIR/run/webapp/webapp.pid' '$3'
    evaluate_retval
    ;;
  reload)
    log_info_msg "Reloading Test daemon..."
    killproc -p '$T_DIR/run/webapp/webapp.pid' '$3' -HUP
    evaluate_retval
    ;;
  restart)
    "\$0" stop
    sleep 1
    "\$0" start
    ;;
  status)
    statusproc -p '$T_DIR/run/webapp/webapp.pid' '$3'
    ;;
  *)
    echo "Usage: \$0 {start|stop|reload|restart|status}"
    exit 1
    ;;
esac
EOF
  chmod 755 "$1"
}

for options in "" "set -u" "set -eu"; do
  label="[${options:-no options}]"
  script=$T_DIR/init.d/webapp
  write_script "$script" "$options" "$TESTD"
  rm -f "$T_DIR/webapp.log"
  expect "$label script status before start: 3" 3 "$script" status
  expect "$label script start: 0" 0 "$script" start
  assert_out_has "  $label prints the activity" "      Starting Test daemon..."
  assert_out_has "  $label and OK" "[  OK  ]"
  w=$(pid_in "$T_DIR/run/webapp/webapp.pid")
  t_track_pid "$w"
  assert "  $label the daemon runs" alive "$w"
  expect "$label script status: 0" 0 "$script" status
  assert_out "  $label message" "testd is running with Process ID(s) $w."
  expect "$label script start again: 0" 0 "$script" start
  assert_eq "  $label same instance" "$(pid_in "$T_DIR/run/webapp/webapp.pid")" "$w"
  expect "$label script reload: 0" 0 "$script" reload
  t_wait_for "  $label the daemon got HUP" 50 grep -q HUP "$T_DIR/webapp.log"
  expect "$label script restart: 0" 0 "$script" restart
  w2=$(pid_in "$T_DIR/run/webapp/webapp.pid")
  t_track_pid "$w2"
  assert "  $label a new instance runs" eval "gone $w && alive $w2"
  expect "$label script stop: 0" 0 "$script" stop
  assert_out_has "  $label prints the stop" "      Stopping Test daemon..."
  assert "  $label the daemon is gone" gone "$w2"
  expect "$label script status after stop: 3" 3 "$script" status
  expect "$label script stop again: 0" 0 "$script" stop
  expect "$label script reload of nothing fails: 7" 7 "$script" reload
  if [ "$options" != "set -eu" ]; then  # with -e the script ends at killproc
    assert_out_has "  $label with FAIL" "[ FAIL ]"
  fi
  expect "$label script usage: 1" 1 "$script" bogus

  # A start whose program fails makes the script fail.
  write_script "$script" "$options" "$T_DIR/bin/failing"
  printf '#!/bin/sh\nexit 1\n' >"$T_DIR/bin/failing"
  chmod 755 "$T_DIR/bin/failing"
  expect "$label script start of a failing program: 1" 1 "$script" start
  if [ "$options" != "set -eu" ]; then  # with -e the script ends at start_daemon
    assert_out_has "  $label prints FAIL" "[ FAIL ]"
  fi
  write_script "$script" "$options" "$T_DIR/bin/absent"
  expect "$label script start of a missing program: 5" 5 "$script" start
done

t_summary
