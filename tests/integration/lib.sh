# Shared helpers for the integration tests: a temporary home and state dir,
# checks that count passes and failures, free ports, HTTP probes, and a
# cleanup that stops everything the test started.
set -uo pipefail

: "${NIXPROC_BIN:?set NIXPROC_BIN to the bin directory of the build}"
: "${NIXPROC_SOURCE:?set NIXPROC_SOURCE to the source tree}"
export PATH="$NIXPROC_BIN:$PATH"
EXAMPLES=$NIXPROC_SOURCE/examples

TEST_DIR=$(mktemp -d /tmp/nixproc-it-XXXXXX)
chmod 755 "$TEST_DIR"
export NIXPROC_HOME=$TEST_DIR/home
STATE=$TEST_DIR/var
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "FAILED - $1" >&2; }

# check "description" command...: passes when the command succeeds.
check() {
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# check_fails "description" command...: passes when the command fails.
check_fails() {
  local what=$1
  shift
  if "$@"; then fail "$what"; else pass "$what"; fi
}

check_equal() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected [$3], got [$2]"; fi
}

check_contains() {
  case $2 in
    *"$3"*) pass "$1" ;;
    *) fail "$1: [$3] not in [$2]" ;;
  esac
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for_port PORT [SECONDS]
wait_for_port() {
  local port=$1 limit=${2:-20} i
  for ((i = 0; i < limit * 10; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

port_closed() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# http_get PORT [HOST]: the body, failing on HTTP errors.
http_get() {
  curl --silent --show-error --fail --max-time 5 ${2:+-H "Host: $2"} "http://127.0.0.1:$1/"
}

# wait_page HOST PORT [EXPECTED [SECONDS]]: the page nginx gives for HOST,
# once it has EXPECTED in it (default: any page), waiting up to SECONDS (60).
wait_page() {
  local answer="" i
  for ((i = 0; i < ${4:-60} * 5; i++)); do
    answer=$(http_get "$2" "$1" 2>/dev/null) && case $answer in *"${3:-}"*) break ;; esac
    sleep 0.2
  done
  echo "$answer"
}

# The PID a PID file names, if that process is alive.
live_pid() {
  local pid
  pid=$(head -n 1 "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# The process managers that really run here: the ones this nixproc knows
# (its --help lists them) whose programs are installed.
runnable_pms() {
  local known pm
  known=$(nixproc build --help | sed -n 's/.*Process manager to deploy with: \([^(]*\).*/\1/p' | tr -d ',')
  for pm in $known; do
    case $pm in
    supervisord) command -v supervisord >/dev/null || continue ;;
    s6) command -v s6-svscan >/dev/null || continue ;;
    runit) command -v runsvdir >/dev/null || continue ;;
    sysvinit | disnix) ;;
    *) continue ;;
    esac
    echo "$pm"
  done
}

# The PID of a deployed instance: from its PID file for the daemon-based
# backends (sysvinit, disnix), else from the manager's status.
instance_pid() {  # instance_pid PM NAME PIDFILE [STATUS OPTIONS...]
  case $1 in
  sysvinit | disnix) live_pid "$3" ;;
  *) status_pid "$2" "${@:4}" ;;
  esac
}

# The parent of process PID (a supervised instance's keeper).
parent_pid() { awk '{ print $4 }' "/proc/$1/stat" 2>/dev/null; }

# The PID `nixproc status [OPTIONS...] NAME` reports for a running instance.
status_pid() {  # status_pid NAME [OPTIONS...]
  nixproc status "${@:2}" "$1" | awk -v name="$1" '$1 == name && $2 == "running" { print $3 }'
}

# Processes (not zombies, not this test's own shell pipeline) whose command
# line or environment mentions the test's state dir or store.
test_processes() {
  NIXPROC_TEST_MATCH="$TEST_DIR/var:$TEST_DIR/user-var:$TEST_DIR/home/store:$TEST_DIR/user-home/store" \
    NIXPROC_TEST_SHELL=$$ python3 - <<'PY'
import os
patterns = [p.encode() for p in os.environ["NIXPROC_TEST_MATCH"].split(":")]
skip = {os.getpid(), os.getppid(), int(os.environ["NIXPROC_TEST_SHELL"])}
for name in os.listdir("/proc"):
    if not name.isdigit() or int(name) in skip:
        continue
    try:
        with open(f"/proc/{name}/stat", "rb") as f:
            if f.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                continue
        data = open(f"/proc/{name}/cmdline", "rb").read() + open(f"/proc/{name}/environ", "rb").read()
    except OSError:
        continue
    if any(p in data for p in patterns):
        print(name)
PY
}

# As root, tests also run as this unprivileged user.
TEST_USER=nixproc-test
ensure_test_user() {
  [ "$(id -u)" = 0 ] || return 1
  id "$TEST_USER" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$TEST_USER"
}

# as_test_user COMMAND...: runs a command as the unprivileged test user with
# the test's environment (its own NIXPROC_HOME below the test dir).
as_test_user() {
  runuser -u "$TEST_USER" -- env PATH="$PATH" HOME="/home/$TEST_USER" NIXPROC_HOME="$TEST_DIR/user-home" "$@"
}

# Accounts a test makes nixproc create are removed again at its end:
# note_new_accounts NAME... remembers those that do not exist yet, and the
# trap remove_new_accounts (which also cleans up) removes them.
new_accounts=()
note_new_accounts() {
  local account
  for account in "$@"; do id "$account" >/dev/null 2>&1 || new_accounts+=("$account"); done
}
remove_new_accounts() {
  local account
  for account in "${new_accounts[@]}"; do
    userdel "$account" 2>/dev/null
    groupdel "$account" 2>/dev/null
  done
  cleanup
}

# with_instance MODEL OUT NAME PKG: OUT is the JSON model MODEL with instance
# NAME added (or replaced), PKG its pkg as JSON.
with_instance() {
  python3 - "$@" <<'PY'
import json, sys
model_file, out, name, pkg = sys.argv[1:]
model = json.load(open(model_file))
model[name] = {"pkg": json.loads(pkg)}
json.dump(model, open(out, "w"))
PY
}

cleanup() {
  local pid
  for pid in $(test_processes); do kill -TERM "$pid" 2>/dev/null; done
  sleep 0.2
  for pid in $(test_processes); do kill -KILL "$pid" 2>/dev/null; done
  rm -rf "$TEST_DIR"
}
# A test stopped by a signal (a timeout, ^C) cleans up too.
trap cleanup EXIT
trap 'exit 143' TERM HUP
trap 'exit 130' INT

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

# Recording stand-ins for process manager tools that cannot run here
# (systemctl, launchctl, service, cygrunsrv, s6-rc...). `stand_in NAME [BODY]`
# puts an executable NAME first on PATH that appends one line to
# $STAND_IN_LOG: its name and its arguments, each in [brackets] so spaces and
# empty arguments stay visible; then it runs BODY (shell code, default: exit
# 0), which may look at "$@". `recorded` prints the log and empties it.
STAND_INS=$TEST_DIR/stand-ins
STAND_IN_LOG=$TEST_DIR/stand-ins.log
stand_in() {
  mkdir -p "$STAND_INS"
  case :$PATH: in *":$STAND_INS:"*) ;; *) export PATH="$STAND_INS:$PATH" ;; esac
  {
    echo '#!/bin/bash'
    echo "line=$(printf %q "$1")"
    echo 'for argument in "$@"; do line+=" [$argument]"; done'
    echo "echo \"\$line\" >>$(printf %q "$STAND_IN_LOG")"
    echo "${2:-exit 0}"
  } >"$STAND_INS/$1"
  chmod +x "$STAND_INS/$1"
}
recorded() {
  cat "$STAND_IN_LOG" 2>/dev/null
  : >"$STAND_IN_LOG"
}
