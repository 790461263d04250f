#!/bin/bash
# The s6-rc backend's deploy steps, with recording stand-ins for s6-rc's
# tools (Debian has s6 but not s6-rc): the exact command sequence of a first
# deploy, an upgrade that changes one instance, a rollback, a failed switch
# that is undone, and an undeploy; and the compiled source checked by
# s6-rc-compile for real where it exists.
source "$(dirname "$0")/lib.sh"

real_compile=$(command -v s6-rc-compile || true)
# s6-rc-compile DB SOURCE; s6-rc-init -c DB -l LIVE SCANDIR
stand_in s6-rc-compile 'mkdir -p "$1"'
stand_in s6-rc-init 'mkdir -p "$4"'
stand_in s6-rc-update
# s6-rc fails once to bring up the service named in $TEST_DIR/fail-once.
stand_in s6-rc "f=$TEST_DIR/fail-once"'
if [ -e "$f" ] && [[ " $* " == *" -u change $(cat "$f") "* ]]; then rm "$f"; exit 1; fi'

model() {  # model B_ARGUMENT FILE
  cat >"$2" <<JSON
{"a": {"pkg": {"instanceName": "a", "foregroundProcess": "/bin/sleep", "args": ["1000"]}},
 "b": {"pkg": {"instanceName": "b", "foregroundProcess": "/bin/sleep", "args": ["$1"],
               "dependencies": ["a"]}},
 "c": {"pkg": {"instanceName": "c", "daemon": "/bin/true", "pidFile": "$STATE/run/c.pid",
               "dependencies": ["a"]}}}
JSON
}
model 1000 "$TEST_DIR/one.json"
model 2000 "$TEST_DIR/two.json"

switch() {
  nixproc switch -P s6-rc --state-dir "$STATE" --force-disable-user-change --jobs 1 "$@"
}
# Paths vary per run: the test dir, the store hash of the profile, the
# database name.
normalised() {
  recorded | sed -e "s#$TEST_DIR#T#g" -e 's#compiled-[0-9a-f]\{32\}#compiled-H#g' \
    -e 's#T/home/store/[^/]*-nixproc-s6-rc#PROFILE#g'
}
live=T/var/run/s6-rc

check "first deploy" switch "$TEST_DIR/one.json"
check_equal "first deploy: compile, init, bring each service up in order" "$(normalised)" \
  "s6-rc-compile [T/var/etc/s6/rc/compiled-H.partial] [PROFILE/etc/s6/sv]
s6-rc-init [-c] [T/var/etc/s6/rc/compiled-H] [-l] [$live] [T/var/run/nixproc-s6/service]
s6-rc [-l] [$live] [-t] [300000] [-u] [change] [a]
s6-rc [-l] [$live] [-t] [300000] [-u] [change] [b]
s6-rc [-l] [$live] [-t] [300000] [-u] [change] [c]"
first_db=$(readlink "$STATE/etc/s6/rc/compiled")
check "the compiled link names the database" test -d "$first_db"
check "s6-svscan runs on the scan directory s6-rc-init got" \
  s6-svscanctl -a "$STATE/run/nixproc-s6/service"
profile=$(readlink -f "$NIXPROC_HOME/profiles/processes")
check_equal "the default bundle holds every instance" \
  "$(cat "$profile/etc/s6/sv/default/contents")" "a
b
c"
check_equal "b depends on a's longrun" "$(cat "$profile/etc/s6/sv/b-srv/dependencies")" "a-srv"

check "switching to the same model" switch "$TEST_DIR/one.json"
check_equal "an unchanged model runs no s6-rc tool" "$(normalised)" ""

check "upgrade: b changed" switch "$TEST_DIR/two.json"
check_equal "upgrade: b down, new database, b up" "$(normalised)" \
  "s6-rc [-l] [$live] [-t] [15000] [-d] [change] [b]
s6-rc-compile [T/var/etc/s6/rc/compiled-H.partial] [PROFILE/etc/s6/sv]
s6-rc-update [-l] [$live] [T/var/etc/s6/rc/compiled-H]
s6-rc [-l] [$live] [-t] [300000] [-u] [change] [b]"
check "the previous database is deleted" test ! -e "$first_db"

check "rollback" switch --rollback
check_equal "rollback: b down, the old profile compiled again, b up" "$(normalised)" \
  "s6-rc [-l] [$live] [-t] [15000] [-d] [change] [b]
s6-rc-compile [T/var/etc/s6/rc/compiled-H.partial] [PROFILE/etc/s6/sv]
s6-rc-update [-l] [$live] [T/var/etc/s6/rc/compiled-H]
s6-rc [-l] [$live] [-t] [300000] [-u] [change] [b]"

generations=$(switch --list-generations | wc -l)
echo b >"$TEST_DIR/fail-once"
check_fails "a switch whose start fails" switch "$TEST_DIR/two.json"
check_equal "the failed switch is undone: b stopped, the old database live again, b restarted" \
  "$(normalised)" \
  "s6-rc [-l] [$live] [-t] [15000] [-d] [change] [b]
s6-rc-compile [T/var/etc/s6/rc/compiled-H.partial] [PROFILE/etc/s6/sv]
s6-rc-update [-l] [$live] [T/var/etc/s6/rc/compiled-H]
s6-rc [-l] [$live] [-t] [300000] [-u] [change] [b]
s6-rc [-l] [$live] [-t] [15000] [-d] [change] [b]
s6-rc-compile [T/var/etc/s6/rc/compiled-H.partial] [PROFILE/etc/s6/sv]
s6-rc-update [-l] [$live] [T/var/etc/s6/rc/compiled-H]
s6-rc [-l] [$live] [-t] [300000] [-u] [change] [b]"
check_equal "no generation was added" "$(switch --list-generations | wc -l)" "$generations"
check "no journal is left: the undo was complete" test ! -e "$NIXPROC_HOME/profiles/.processes.switch"

check "undeploy" switch --undeploy
check_equal "undeploy: everything down in reverse order, an empty database" "$(normalised)" \
  "s6-rc [-l] [$live] [-t] [15000] [-d] [change] [c]
s6-rc [-l] [$live] [-t] [15000] [-d] [change] [b]
s6-rc [-l] [$live] [-t] [15000] [-d] [change] [a]
s6-rc-compile [T/var/etc/s6/rc/compiled-H.partial] [PROFILE/etc/s6/sv]
s6-rc-update [-l] [$live] [T/var/etc/s6/rc/compiled-H]"
empty=$(readlink -f "$NIXPROC_HOME/profiles/processes")
check_equal "the empty profile still has an empty default bundle" \
  "$(cat "$empty/etc/s6/sv/default/type")" "bundle"

# A model whose definitions s6-rc-compile would reject changes nothing.
cat >"$TEST_DIR/bad.json" <<JSON
{"x": {"pkg": {"type": "s6-rc-service", "name": "x", "serviceType": "oneshot",
               "up": "true", "dependencies": []}},
 "y": {"pkg": {"type": "s6-rc-service", "name": "y", "serviceType": "longrun",
               "run": "#!/bin/sh\nexec sleep 9\n", "autoGenerateLogService": false,
               "producerFor": "x"}}}
JSON
check_fails "unknown fields of a native definition are rejected" switch "$TEST_DIR/bad.json"
check_equal "nothing ran" "$(normalised)" ""

if [ -n "$real_compile" ]; then
  check "s6-rc-compile accepts a compiled profile" "$real_compile" "$TEST_DIR/db" "$profile/etc/s6/sv"
fi
finish
