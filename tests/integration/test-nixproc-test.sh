#!/bin/bash
# `nixproc test` itself: a suite's variants run in throwaway machines (their
# own hostname, accounts, /tmp and home; the host's untouched), a broken
# variant fails with its log and state kept while the others pass, the JUnit
# report, Python and shell steps, systemPackages, -A and --list, bad suites,
# and nothing left on the host afterwards, also after an interruption (^C)
# in the middle of a variant.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "skipped: nixproc test needs root"; exit 77; }
command -v python3 >/dev/null || { echo "skipped: python3 is not installed"; exit 77; }

SUITES=$TEST_DIR/suites
mkdir -p "$SUITES" "$TEST_DIR/pkg/bin"
cd "$TEST_DIR" || exit 1
printf '#!/bin/sh\necho from-system-package\n' >"$TEST_DIR/pkg/bin/nixproc-it-tool"
chmod 755 "$TEST_DIR/pkg/bin/nixproc-it-tool"
marker=nixproc-it-host-only-$$
touch "/tmp/$marker"

# What must be as it was after every run.
host_state() {
  {
    # Other tests create the shared test user (lib.sh) whenever they first
    # need it; the accounts of tests that come and go hold the same lock.
    for f in /etc/passwd /etc/group /etc/shadow; do
      echo "$f $(grep -v "^$TEST_USER:" "$f" | md5sum)"
    done
    md5sum /etc/hostname
    ls -d /tmp/nixproc-test-* /home/unprivileged 2>/dev/null
    find /sys/fs/cgroup -maxdepth 4 -name 'nixproc-test-*' 2>/dev/null
    grep -c nixproc-test /proc/self/mountinfo
    pgrep -f 'nixproc-it-(webapp|sleeper)' | wc -l
    hostname
    ls /
  } 2>&1
}
before=$(host_state)

cat >"$SUITES/processes.nix" <<'EOF'
{ stateDir ? "/var", runtimeDir ? "${stateDir}/run", forceDisableUserChange ? false
, processManager ? "sysvinit", tmpDir ? (if stateDir == "/var" then "/tmp" else "${stateDir}/tmp") }:
let
  nixproc = import <nixproc> { inherit stateDir runtimeDir forceDisableUserChange processManager tmpDir; };
  constructors = import ${EXAMPLES}/webapps-agnostic/constructors.nix { inherit nixproc; };
in {
  webapp = rec {
    port = 5000;
    pkg = constructors.webapp { inherit port; };
  };
}
EOF
sed -i "s|\${EXAMPLES}|$EXAMPLES|" "$SUITES/processes.nix"

# A suite with a Python step, a shell step, systemPackages, and one broken
# variant: under supervisord the readiness check waits for a wrong port.
cat >"$SUITES/suite.nix" <<EOF
{ testService, processManagers ? [ "sysvinit" "supervisord" ], profiles ? [ "privileged" "unprivileged" ] }:
testService {
  exprFile = ./processes.nix;
  systemPackages = [ "$TEST_DIR/pkg" ];
  initialTests = { stateDir, callingUser ? null, ... }: ''
    test "\$(hostname)" = machine
    test ! -e /tmp/$marker
    nixproc-it-tool | grep -q from-system-package
    test -d \${stateDir}
    if touch /usr/$marker 2>/dev/null; then exit 1; fi
    if touch $NIXPROC_SOURCE/$marker 2>/dev/null; then exit 1; fi
    touch /etc/$marker /var/$marker /root/$marker
  '' + (if callingUser == null then "" else ''
    grep -q '^unprivileged:' /etc/passwd
    su - \${callingUser} -c nixproc-it-tool | grep -q from-system-package
  '');
  readiness = { instance, processManager, ... }: ''
    machine.wait_for_open_port(\${toString (if processManager == "supervisord" then 1 else instance.port)})
  '';
  tests = { instance, ... }: ''
    out = machine.succeed("curl --fail -s http://localhost:\${toString instance.port}")
    assert "Simple test webapp" in out, out
    machine.fail("curl --fail -s http://localhost:1")
  '';
  inherit processManagers profiles;
}
EOF

check "--help describes the command" bash -c "nixproc test --help | grep -q -- --junit"
listing=$(nixproc test --list "$SUITES/suite.nix")
check_equal "--list names every variant" "$(echo "$listing" | tr '\n' ' ')" \
  "privileged.supervisord privileged.sysvinit unprivileged.supervisord unprivileged.sysvinit "
check_equal "--process-managers picks the managers" \
  "$(nixproc test --list --process-managers sysvinit --profiles unprivileged "$SUITES/suite.nix")" \
  "unprivileged.sysvinit"
check_contains "s6-rc is reported as skipped where its tools are missing" \
  "$(nixproc test --list --process-managers s6-rc "$SUITES/suite.nix")" "skipped"

out=$(nixproc test -j 2 --wait-timeout 3 --junit "$TEST_DIR/report.xml" --results "$TEST_DIR/results" \
  "$SUITES/suite.nix" 2>&1)
status=$?
echo "$out" | grep -E '^(passed|FAILED|skipped) ' || true
check_equal "a failed variant makes the exit status 1" "$status" 1
check_contains "the sysvinit variants pass (privileged)" "$out" "passed   privileged.sysvinit"
check_contains "the sysvinit variants pass (unprivileged)" "$out" "passed   unprivileged.sysvinit"
check_contains "the broken readiness check fails its variants" "$out" \
  "FAILED   privileged.supervisord"
check_contains "the failure names the step and what it waited for" "$out" \
  "readiness webapp: timed out after 3 s waiting for port 1 to open"
check_contains "the summary line counts them" "$out" "2 passed, 2 failed, 0 skipped"
kept=$TEST_DIR/results/privileged.supervisord
check "the failed variant's log is kept" grep -q "== readiness webapp" "$kept/log"
check "its deployed state is kept (the supervisord config)" \
  test -f "$kept/var/lib/nixproc-supervisord/supervisord.conf"
check "its /run is kept (the instance record)" test -d "$kept/run/nixproc-instances/webapp"
check_fails "a passed variant keeps nothing" test -e "$TEST_DIR/results/privileged.sysvinit"
check "the JUnit report parses and counts" python3 -c "
import xml.etree.ElementTree as ET
suite = ET.parse('$TEST_DIR/report.xml').getroot().find('testsuite')
assert suite.get('tests') == '4' and suite.get('failures') == '2', suite.attrib
names = [case.get('name') for case in suite.iter('testcase') if case.find('failure') is not None]
assert sorted(names) == ['privileged.supervisord', 'unprivileged.supervisord'], names"
check_equal "nothing is left on the host after the run" "$(host_state)" "$before"
check_fails "the host's programs were read-only in the machines" test -e "/usr/$marker"
check_fails "and so was the source tree" test -e "$NIXPROC_SOURCE/$marker"
check_fails "what a machine writes in its /etc, /var and /root stays there" \
  bash -c "ls /etc/$marker /var/$marker /root/$marker 2>/dev/null | grep -q ."

# -A selects one variant, as nix-build -A does; the good one passes alone.
check "-A runs one variant" bash -c "nixproc test -A unprivileged.sysvinit '$SUITES/suite.nix' | grep -q '1 passed, 0 failed'"
check_contains "-A with a name the suite lacks names what it has" \
  "$(nixproc test -A privileged.runit "$SUITES/suite.nix" 2>&1)" "it has: supervisord, sysvinit"

# The original's composition file, as the article writes it: testService
# from the original's import path, the per-service suite file unchanged.
cat >"$SUITES/original.nix" <<EOF
{ pkgs ? import <nixpkgs> { inherit system; }, system ? builtins.currentSystem
, processManagers ? [ "supervisord" "sysvinit" "systemd" "disnix" "s6-rc" ]
, profiles ? [ "privileged" "unprivileged" ] }:
let testService = import <nix-processmgmt/nixproc/test-driver/universal.nix> { inherit system; };
in {
  nginx-reverse-proxy-hostbased = import $NIXPROC_SOURCE/tests/services/nginx-reverse-proxy-hostbased {
    inherit pkgs processManagers profiles testService;
  };
}
EOF
check_equal "the original's composition lists its default managers" \
  "$(nixproc test --list "$SUITES/original.nix" | wc -l)" 10
check "and runs a variant" bash -c "nixproc test -A nginx-reverse-proxy-hostbased.privileged.disnix '$SUITES/original.nix' | grep -q '1 passed, 0 failed'"

# A results directory that is not ours (a link planted in a shared place).
ln -s /etc "$TEST_DIR/planted"
check_contains "a symlinked --results is refused" \
  "$(nixproc test --results "$TEST_DIR/planted" -A privileged.sysvinit "$SUITES/suite.nix" 2>&1)" "not a directory of ours"

# Bad suites: one clear error each, nothing run.
echo '{ testService }: testService {' >"$SUITES/broken.nix"
check_contains "a syntax error is reported with the file" \
  "$(nixproc test "$SUITES/broken.nix" 2>&1)" "broken.nix"
echo '{ testService }: testService { exprFile = ./processes.nix; processManagers = [ "upstart" ]; }' \
  >"$SUITES/unknown-pm.nix"
check_contains "an unknown process manager is named" \
  "$(nixproc test "$SUITES/unknown-pm.nix" 2>&1)" "unknown process manager \`upstart'"
echo '{ testService }: testService { exprFile = ./processes.nix; nixosConfig = { }; }' \
  >"$SUITES/nixos.nix"
check_contains "nixosConfig is refused with the reason" \
  "$(nixproc test "$SUITES/nixos.nix" 2>&1)" "not NixOS"
echo '{ x = 1; }' >"$SUITES/empty.nix"
check_contains "a file without tests says so" "$(nixproc test "$SUITES/empty.nix" 2>&1)" "no tests found"
check_fails "an unprivileged user is refused" runuser -u nobody -- "$NIXPROC_BIN/nixproc" test --process-managers sysvinit "$SUITES/suite.nix"
check_contains "with the reason" \
  "$(runuser -u nobody -- "$NIXPROC_BIN/nixproc" test "$SUITES/suite.nix" 2>&1)" "needs root"

# ^C in the middle of a variant: every machine is killed, nothing is left.
cat >"$SUITES/slow.nix" <<'EOF'
{ testService }:
testService {
  exprFile = ./processes.nix;
  processManagers = [ "sysvinit" ];
  profiles = [ "privileged" "unprivileged" ];
  tests = { ... }: ''
    machine.succeed("cp /bin/sleep /tmp/nixproc-it-sleeper && (setsid /tmp/nixproc-it-sleeper 300 &) && touch /run/sleeping")
    machine.sleep(300)
  '';
}
EOF
nixproc test -j 2 --results "$TEST_DIR/slow-results" "$SUITES/slow.nix" >"$TEST_DIR/slow.out" 2>&1 &
runner=$!
for i in $(seq 200); do
  [ "$(find /tmp/nixproc-test-* -maxdepth 3 -name sleeping 2>/dev/null | wc -l)" = 2 ] && break
  sleep 0.1
done
check "both machines started their sleeper" test "$(pgrep -fc nixproc-it-sleeper)" = 2
kill -INT "$runner"
wait "$runner"
check_equal "an interrupted run exits with 130" "$?" 130
check_contains "and says so" "$(cat "$TEST_DIR/slow.out")" "(interrupted)"
check_equal "nothing is left on the host after ^C" "$(host_state)" "$before"
check_fails "no results are kept for the interrupted variants" test -e "$TEST_DIR/slow-results"
rm -f "/tmp/$marker"
finish
