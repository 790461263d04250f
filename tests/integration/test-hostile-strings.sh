#!/bin/bash
# Quotes, $, backslashes, spaces, newlines and % in arguments and environment
# reach the running process byte for byte, under every runnable backend and
# in both daemon and foreground mode.
. "$(dirname "$0")/lib.sh"
HOLD=$NIXPROC_BIN/nixproc-test-hold

python3 - "$TEST_DIR/model.json" "$HOLD" "$STATE" <<'PY'
import json, sys
path, hold, state = sys.argv[1:]
hostile = ["it's", 'say "hi"', "$HOME and ${PATH}", "back\\slash", "two  spaces", "new\nline",
           "100% %s %(x)s", "`uname`", "semi;colon && || |", "*?[a]", "", "tab\there", "ünïcödé"]
env = {f"V{i}": s for i, s in enumerate(hostile)}
model = {
  "daemon": {"pkg": {"instanceName": "daemon", "daemon": hold, "args": ["-D"] + hostile,
                     "environment": dict(env, PID_FILE=f"{state}/run/daemon.pid")}},
  "foreground": {"pkg": {"instanceName": "foreground", "foregroundProcess": hold, "args": hostile,
                         "environment": env, "description": "it's \"hostile\"\n$x %s"}},
}
json.dump(model, open(path, "w"))
json.dump(hostile, open(path + ".expected", "w"))
PY

verify() {  # verify PID LEADING_ARGS
  [ -n "$1" ] || return 1
  python3 - "$1" "$2" "$TEST_DIR/model.json.expected" <<'PY'
import json, sys
pid = sys.argv[1]
leading = json.loads(sys.argv[2])
hostile = json.load(open(sys.argv[3]))
argv = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")[:-1]
args = [a.decode() for a in argv[1:]]
if args != leading + hostile:
    sys.exit(f"argv differs: {args!r}")
environ = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
for i, value in enumerate(hostile):
    if f"V{i}={value}".encode() not in environ:
        sys.exit(f"V{i} missing or changed")
PY
}

# The daemon writes its own PID file under every backend (supervising ones
# run it through nixproc-foreground-proxy); the foreground process's PID is
# in nixproc-daemon's PID file or, for supervising backends, in the status.
for pm in $(runnable_pms); do
  check "$pm: deploy the hostile model" \
    nixproc switch -P "$pm" --state-dir "$STATE" --force-disable-user-change "$TEST_DIR/model.json"
  check "$pm: daemon mode argv and environment are exact" \
    verify "$(live_pid "$STATE/run/daemon.pid")" '["-D"]'
  check "$pm: foreground mode argv and environment are exact" \
    verify "$(instance_pid "$pm" foreground "$STATE/run/foreground.pid")" '[]'
  check "$pm: status" nixproc status
  check "$pm: undeploy" nixproc switch --state-dir "$STATE" --force-disable-user-change --undeploy
  check_equal "$pm: nothing left running" "$(test_processes | wc -l)" 0
done
finish
