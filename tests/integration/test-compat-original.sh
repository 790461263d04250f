#!/bin/bash
# Models written for the original framework (tests/compat-models: its model
# parameters, its import paths, its constructors and overrides shapes)
# build with all nine of the original's process managers, giving the files
# those shapes ask for, and deploy for real with sysvinit and supervisord.
source "$(dirname "$0")/lib.sh"
note_new_accounts webapp-1 webapp-2 webapps
trap remove_new_accounts EXIT

MODELS=$NIXPROC_SOURCE/tests/compat-models
# The models get nixproc's own <nixpkgs> compatibility set and <nix-processmgmt>,
# as nixproc puts them on the search path when NIX_PATH names none.
unset NIX_PATH
build() {  # build PM MODEL [OPTIONS...]
  nixproc build -P "$1" --no-out-link --state-dir "$STATE" --force-disable-user-change "${@:3}" "$2"
}
grep_file() {  # grep_file DESCRIPTION FILE PATTERN: a fixed-string line match
  if grep -qxF -- "$3" "$2" 2>/dev/null; then pass "$1"; else fail "$1: no line [$3] in $2"; fi
}
# The line after the one equal to $2 in file $1 (one token per line files).
after() { grep -xF -A1 -- "$2" "$1" | sed -n 2p; }

# --- processes.nix: createManagedProcess through the universal import path
for pm in sysvinit systemd supervisord launchd bsdrc cygrunsrv disnix docker s6-rc; do
  out=$(build "$pm" "$MODELS/processes.nix" 2>"$TEST_DIR/err") || {
    fail "processes.nix builds with $pm: $(cat "$TEST_DIR/err")"
    continue
  }
  pass "processes.nix builds with $pm"
  check_equal "$pm: the file postInstall added to webapp-1's package" \
    "$(cat "$out/etc/webapps/webapp-1.conf" 2>&1)" "port=5001"
  case $pm in
  sysvinit)
    check "sysvinit: the init script" test -x "$out/etc/rc.d/init.d/webapp-1"
    check "sysvinit: runlevels from overrides.sysvinit" test -L "$out/etc/rc.d/rc4.d/S00webapp-1"
    check "sysvinit: webapp-2 after webapp-1" test -L "$out/etc/rc.d/rc3.d/S01webapp-2"
    ;;
  systemd)
    check "systemd: the dependency's wants link" \
      test -L "$out/etc/systemd/system/nix-process-webapp-2.service.wants/nix-process-webapp-1.service"
    ;;
  supervisord)
    grep_file "supervisord: overrides.supervisord.startsecs at the top level" \
      "$out/conf.d/webapp-1.conf" "startsecs=5"
    grep_file "supervisord: a top-level key beside program.stopwaitsecs" \
      "$out/conf.d/webapp-2.conf" "startretries=7"
    grep_file "supervisord: program.stopwaitsecs, nixproc's shape, still works" \
      "$out/conf.d/webapp-2.conf" "stopwaitsecs=4"
    ;;
  launchd)
    plist=$out/Library/LaunchDaemons/org.nixos.webapp-1.plist
    check_equal "launchd: overrides.launchd.KeepAlive at the top level" \
      "$(grep -A1 '<key>KeepAlive</key>' "$plist" | tr -d ' ' | tail -n 1)" "<true/>"
    ;;
  bsdrc)
    script=$out/etc/rc.d/webapp-1
    grep_file "bsdrc: a '-' in the name becomes '_' in rc.subr's name" "$script" "name=webapp_1"
    grep_file "bsdrc: and in rcvar" "$script" "rcvar=webapp_1_enable"
    grep_file "bsdrc: the script still provides webapp-1" "$script" "# PROVIDE: webapp-1"
    check "bsdrc: sh -n webapp-1" sh -n "$script"
    ;;
  cygrunsrv)
    check_equal "cygrunsrv: overrides.cygrunsrv.type = \"manual\" gives --type" \
      "$(after "$out/nix-process-webapp-1-cygrunsrvparams" --type)" "'manual'"
    ;;
  disnix)
    check "disnix: the process config" test -f "$out/etc/dysnomia/process/webapp-1"
    ;;
  docker)
    check_equal "docker: overrides.docker.container.dockerCreateParameters" \
      "$(after "$out/webapp-1-docker-createparams" --cpus)" "1"
    ;;
  s6-rc)
    check "s6-rc: the longrun" test -f "$out/etc/s6/sv/webapp-1-srv/run"
    ;;
  esac
done

json=$(build none "$MODELS/processes.nix")
credentials=$(python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["webapp-1"]["pkg"]["credentials"], sort_keys=True))' "$json/processes.json")
check_contains "plain credentials get the uid from ids.nix" "$credentials" '"uid": 2001'
check_contains "and the gid" "$credentials" '"gid": 2100'

# --- processes-constructors.nix: each pm-specific constructor
for pm in sysvinit systemd supervisord launchd bsdrc cygrunsrv disnix docker s6-rc; do
  out=$(build "$pm" "$MODELS/processes-constructors.nix" 2>"$TEST_DIR/err") || {
    fail "processes-constructors.nix builds with $pm: $(cat "$TEST_DIR/err")"
    continue
  }
  pass "processes-constructors.nix builds with $pm"
  case $pm in
  sysvinit)
    check "createSystemVInitScript: the init script" test -x "$out/etc/rc.d/init.d/websysv"
    check_equal "createSystemVInitScript: postInstall's file" \
      "$(cat "$out/etc/dysnomia/containers/websysv" 2>&1)" "type=websysv"
    ;;
  systemd)
    grep_file "createSystemdService: Description" "$out/etc/systemd/system/nix-process-websd.service" \
      "Description=Web application"
    ;;
  supervisord)
    grep_file "createSupervisordProgram: program keys at the top level" "$out/conf.d/websv.conf" "startsecs=2"
    grep_file "createSupervisordProgram: stopwaitsecs" "$out/conf.d/websv.conf" "stopwaitsecs=6"
    ;;
  launchd)
    plist=$out/Library/LaunchDaemons/org.nixos.weblaunchd.plist
    check_equal "createLaunchdDaemon: Program" "$(grep -A1 '<key>Program</key>' "$plist" | sed -n 's/ *<string>\(.*\)<\/string>/\1/p')" \
      "$NIXPROC_BIN/webapp"
    check_equal "createLaunchdDaemon: KeepAlive" "$(grep -A1 '<key>KeepAlive</key>' "$plist" | tr -d ' ' | tail -n 1)" "<true/>"
    check_equal "createLaunchdDaemon: WorkingDirectory" \
      "$(grep -A1 '<key>WorkingDirectory</key>' "$plist" | tr -d ' ' | tail -n 1)" "<string>/tmp</string>"
    ;;
  bsdrc)
    grep_file "createBSDRCScript: rcvar defaults to the original's enabled" "$out/etc/rc.d/web-bsd" \
      "rcvar=web_bsd_enabled"
    check "createBSDRCScript: sh -n" sh -n "$out/etc/rc.d/web-bsd"
    ;;
  cygrunsrv)
    params=$out/nix-process-webcyg-cygrunsrvparams
    check_equal "createCygrunsrvParams: path is the executable" "$(after "$params" --path)" "'$NIXPROC_BIN/webapp'"
    check_equal "createCygrunsrvParams: type" "$(after "$params" --type)" "'manual'"
    grep_file "createCygrunsrvParams: environmentPath" "$params" "'PATH=/usr/bin'"
    ;;
  disnix)
    wrapper=$(sed -n 's/^process=//p' "$out/etc/dysnomia/process/webproc")
    check_contains "createProcessScript: the wrapper runs the process given" "$(cat "$wrapper")" \
      "start-webapp"
    ;;
  docker)
    check_equal "createDockerContainer: dockerCreateParameters" \
      "$(after "$out/webdock-docker-createparams" --memory)" "64m"
    check_contains "createDockerContainer: cmd runs the webapp" \
      "$(cat "$out/libexec/nixproc/webdock-docker-run")" "$NIXPROC_BIN/webapp"
    ;;
  s6-rc)
    sv=$out/etc/s6/sv
    check_contains "s6-rc: run given as a writeTextFile file is its text" "$(cat "$sv/web-s6-srv/run")" \
      "export PORT 5003"
    check_equal "s6-rc: up given as a path is the file's text" "$(cat "$sv/hello-once/up")" \
      "$(cat "$MODELS/oneshot-up")"
    check_equal "s6-rc: createServiceBundle" "$(cat "$sv/web-bundle/type")" "bundle"
    check_equal "s6-rc: the bundle's contents" "$(cat "$sv/web-bundle/contents")" "web-s6
hello-once"
    ;;
  esac
done
json=$(build none "$MODELS/processes-constructors.nix" --extra-params '{"processManager": "sysvinit"}')
credentials=$(python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["websysv"]["pkg"]["credentials"]))' "$json/processes.json")
check_contains "createSystemVInitScript: plain credentials get the uid from ids.nix" "$credentials" '"uid": 2003'

# --- what cannot come over is refused, naming instance and field
cat >"$TEST_DIR/clobber.nix" <<'NIX'
{ processManager ? null }:
let nixproc = import <nixproc> { inherit processManager; };
in {
  hello.pkg = nixproc.createManagedProcess {
    name = "hello"; process = "/bin/sleep"; args = [ "60" ];
    overrides.sysvinit.type = "other";
    overrides.docker.image.name = "x";
  };
}
NIX
err=$(build sysvinit "$TEST_DIR/clobber.nix" 2>&1)
check_contains "an override changing the config's type is refused" "$err" \
  "instance hello: field overrides.sysvinit.type: an override cannot change the instance's type"
err=$(build docker "$TEST_DIR/clobber.nix" 2>&1)
check_contains "overrides.docker.image is refused" "$err" "instance hello: field overrides.docker.image"
cat >"$TEST_DIR/log-service.nix" <<'NIX'
{ }:
let s6rc = import <nix-processmgmt/nixproc/backends/s6-rc> { logDir = "/var/log"; };
in { x.pkg = s6rc.createLogServiceForLongRunService { name = "x"; }; }
NIX
check_contains "createLogServiceForLongRunService explains the automatic log service" \
  "$(build s6-rc "$TEST_DIR/log-service.nix" 2>&1)" "autoGenerateLogService"

# --- nixproc compat link: a checkout's relative imports reach nixproc's library
checkout=$TEST_DIR/nix-processmgmt
mkdir -p "$checkout/nixproc/create-managed-process" "$checkout/examples/demo"
cat >"$checkout/examples/demo/processes.nix" <<'NIX'
{ pkgs ? import <nixpkgs> { }, stateDir ? "/var", tmpDir ? "/tmp", processManager ? null }:
let
  createManagedProcess = import ../../nixproc/create-managed-process/universal/create-managed-process-universal.nix {
    inherit pkgs stateDir tmpDir processManager;
    runtimeDir = "${stateDir}/run"; logDir = "${stateDir}/log";
  };
in {
  demo.pkg = createManagedProcess { name = "demo"; foregroundProcess = "/bin/sleep"; foregroundProcessArgs = [ "60" ]; };
}
NIX
check "compat link --help" nixproc compat link --help
check_fails "compat link refuses a folder that is not a checkout" nixproc compat link "$TEST_DIR/home"
check "compat link CHECKOUT" nixproc compat link "$checkout"
check_equal "the original folder is kept aside" "$(ls -d "$checkout/nixproc.orig/create-managed-process")" \
  "$checkout/nixproc.orig/create-managed-process"
check "the checkout's model builds through its relative import" \
  build sysvinit "$checkout/examples/demo/processes.nix"
check "linking again is harmless" nixproc compat link "$checkout"
rm "$checkout/nixproc" && mkdir -p "$checkout/nixproc/create-managed-process"
check_contains "compat link refuses when nixproc.orig exists" \
  "$(nixproc compat link "$checkout" 2>&1)" "nixproc.orig\" exists already"

# --- deployed for real, unprivileged
P1=$(free_port)
P2=$(free_port)
ports="{\"port1\": $P1, \"port2\": $P2}"
for pm in sysvinit supervisord; do
  command -v supervisord >/dev/null || [ "$pm" != supervisord ] || continue
  switch() { nixproc switch -P "$pm" --state-dir "$STATE" --force-disable-user-change "$@"; }
  check "$pm: deploy processes.nix" switch --extra-params "$ports" "$MODELS/processes.nix"
  wait_for_port "$P1"
  wait_for_port "$P2"
  check_contains "$pm: webapp-1 answers" "$(http_get "$P1")" "listening on port: $P1"
  check_contains "$pm: webapp-2 answers" "$(http_get "$P2")" "listening on port: $P2"
  check "$pm: undeploy" switch --undeploy
  check "$pm: webapp-1 stopped" port_closed "$P1"
  check "$pm: webapp-2 stopped" port_closed "$P2"
done

# nixproc-<pm>-deploy deploys a profile built before.
profile=$(build sysvinit "$MODELS/processes.nix" --extra-params "$ports")
check "nixproc-sysvinit-deploy PROFILE" \
  nixproc-sysvinit-deploy --state-dir "$STATE" --force-disable-user-change "$profile"
wait_for_port "$P1"
check_contains "the deployed profile answers" "$(http_get "$P1")" "listening on port: $P1"
check "undeploy it" nixproc-sysvinit-switch --state-dir "$STATE" --force-disable-user-change --undeploy
check "stopped" port_closed "$P1"

# --- privileged: the accounts get the ids of ids.nix
if [ "$(id -u)" = 0 ] && ! getent passwd 2001 2002 >/dev/null && ! getent group 2100 >/dev/null; then
  for pm in sysvinit supervisord; do
    command -v supervisord >/dev/null || [ "$pm" != supervisord ] || continue
    # A state dir of its own: the unprivileged deploys made the one above root-owned 0755.
    root_switch() { nixproc switch -P "$pm" --state-dir "$TEST_DIR/root-var" "$@"; }
    check "$pm as root: deploy processes.nix" root_switch --extra-params "$ports" "$MODELS/processes.nix"
    wait_for_port "$P1"
    check_contains "$pm as root: webapp-1 answers" "$(http_get "$P1")" "listening on port: $P1"
    check_equal "$pm as root: webapp-1's uid is ids.nix's" "$(id -u webapp-1)" 2001
    check_equal "$pm as root: the webapps group's gid is ids.nix's" "$(getent group webapps | cut -d: -f3)" 2100
    pid=$(ss -Hltnp "sport = :$P1" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1)
    check_equal "$pm as root: webapp-1 runs as webapp-1" "$(ps -o user= -p "$pid" | tr -d ' ')" webapp-1
    check "$pm as root: undeploy" root_switch --undeploy
    check "$pm as root: stopped" port_closed "$P1"
  done
else
  echo "skipped: the privileged deploys (not root, or uid 2001/2002 or gid 2100 taken)"
fi
finish
