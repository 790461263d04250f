# shellcheck shell=bash
# A tiny test harness for the shell tests: counts passes and failures, runs
# commands with their output captured, and cleans up the temporary directory
# and every process whose command line mentions it.
#
#   . tests/shell/lib.sh            # creates T_DIR, installs the EXIT trap
#   run CMD...                      # T_STATUS, T_OUT (stdout), T_ERR (stderr)
#   expect DESC STATUS CMD...       # run CMD, check its status
#   assert DESC CMD...              # CMD must succeed
#   assert_not DESC CMD...          # CMD must fail
#   assert_eq DESC GOT WANT
#   assert_out DESC TEXT            # T_OUT equals TEXT (without the final newline)
#   assert_out_has DESC TEXT        # T_OUT contains TEXT
#   assert_err_has DESC TEXT        # T_ERR contains TEXT
#   t_track_pid PID                 # kill PID at the end
#   t_wait_for DESC TENTHS CMD...   # poll CMD until it succeeds (0.1 s steps)
#   t_summary                       # prints "N passed, N failed"; fails on failures
#   t_skip MESSAGE                  # exit 77
# Commands run in the calling shell (not a subshell), so functions work.

T_PASSED=0
T_FAILED=0
T_STATUS=0
T_OUT=
T_ERR=
T_PIDS=()
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/nixproc-shell-test.XXXXXX") || {
  echo "cannot create a temporary directory" >&2
  exit 1
}

t_pass() {
  T_PASSED=$((T_PASSED + 1))
  printf 'ok - %s\n' "$1"
}

t_fail() {
  T_FAILED=$((T_FAILED + 1))
  printf 'FAILED - %s\n' "$1"
  printf 'FAILED - %s\n' "$1" >&2
}

run() {
  local restore_e=
  case $- in
    *e*) restore_e=1; set +e ;;
  esac
  "$@" >"$T_DIR/.out" 2>"$T_DIR/.err" </dev/null
  T_STATUS=$?
  [ -n "$restore_e" ] && set -e
  T_OUT=$(cat "$T_DIR/.out")
  T_ERR=$(cat "$T_DIR/.err")
  return 0
}

expect() {
  local what=$1 want=$2
  shift 2
  run "$@"
  if [ "$T_STATUS" = "$want" ]; then
    t_pass "$what"
  else
    t_fail "$what: status $T_STATUS, expected $want; stdout [$T_OUT] stderr [$T_ERR]"
  fi
}

assert() {
  local what=$1
  shift
  if "$@"; then t_pass "$what"; else t_fail "$what"; fi
}

assert_not() {
  local what=$1
  shift
  if "$@"; then t_fail "$what"; else t_pass "$what"; fi
}

assert_eq() {
  if [ "$2" = "$3" ]; then
    t_pass "$1"
  else
    t_fail "$1: got [$2], expected [$3]"
  fi
}

assert_out() { assert_eq "$1" "$T_OUT" "$2"; }

assert_out_has() {
  case $T_OUT in
    *"$2"*) t_pass "$1" ;;
    *) t_fail "$1: [$2] not in stdout [$T_OUT]" ;;
  esac
}

assert_err_has() {
  case $T_ERR in
    *"$2"*) t_pass "$1" ;;
    *) t_fail "$1: [$2] not in stderr [$T_ERR]" ;;
  esac
}

t_track_pid() {
  local pid
  for pid in "$@"; do
    case $pid in
      '' | *[!0-9]*) ;;
      *) T_PIDS+=("$pid") ;;
    esac
  done
}

t_wait_for() {
  local what=$1 tenths=$2
  shift 2
  while ! "$@"; do
    if [ "$tenths" -le 0 ]; then
      t_fail "$what (timed out)"
      return 1
    fi
    sleep 0.1
    tenths=$((tenths - 1))
  done
  t_pass "$what"
}

# PIDs of processes (other than this shell) whose command line mentions T_DIR.
t_dir_processes() {
  local dir cmdline pid
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [ "$pid" = "$$" ] && continue
    [ "$pid" = "${BASHPID:-$$}" ] && continue
    cmdline=$(tr '\0' ' ' 2>/dev/null <"$dir/cmdline") || continue
    case $cmdline in
      *"$T_DIR"*) printf '%s\n' "$pid" ;;
    esac
  done
}

t_cleanup() {
  local pid
  trap - EXIT INT TERM HUP
  # Background jobs of this shell are not reported as "Killed".
  disown -a 2>/dev/null
  for pid in "${T_PIDS[@]}" $(t_dir_processes); do
    kill -KILL "$pid" 2>/dev/null
  done
  case $T_DIR in
    "${TMPDIR:-/tmp}"/nixproc-shell-test.*) rm -rf "$T_DIR" ;;
  esac
}

t_summary() {
  printf '%s passed, %s failed\n' "$T_PASSED" "$T_FAILED"
  [ "$T_FAILED" -eq 0 ]
}

t_skip() {
  printf 'skipped: %s\n' "$*"
  exit 77
}

trap t_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
