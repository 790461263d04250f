#!/bin/bash
# The Nix library and the example models, evaluated with nix-instantiate
# exactly as nixproc does it, checked as data.
set -u
: "${NIXPROC_SOURCE:?set NIXPROC_SOURCE to the source tree}"
if ! command -v nix-instantiate >/dev/null; then
  echo "skipped: nix-instantiate is missing (apt-get install nix-bin)"
  exit 77
fi
DIR=$(mktemp -d /tmp/nixproc-nix-test-XXXXXX)
trap 'rm -rf "$DIR"' EXIT
export NIXPROC_STORE_DIR=$DIR/store NIXPROC_LIBEXEC_DIR=/opt/nixproc/libexec
passed=0
failed=0

evaluate() {  # evaluate EXPRESSION: JSON on stdout, stderr in $DIR/err
  nix-instantiate --store dummy:// --eval --strict --json -I "nixproc=$NIXPROC_SOURCE/nix" -E "$1" 2>"$DIR/err"
}
# check DESCRIPTION EXPRESSION PYTHON_ASSERTION (over `v`, the value, and `err`, stderr)
check() {
  local json
  if ! json=$(evaluate "$2"); then
    failed=$((failed + 1)); echo "FAILED - $1: $(cat "$DIR/err")" >&2; return
  fi
  if printf '%s' "$json" | python3 -c "
import json, sys, hashlib
v = json.load(sys.stdin); err = open('$DIR/err').read(); store = '$DIR/store'
assert $3, v" 2>"$DIR/py"; then passed=$((passed + 1)); echo "ok - $1"; else
    failed=$((failed + 1)); echo "FAILED - $1: $(cat "$DIR/py")" >&2; fi
}
check_error() {  # check_error DESCRIPTION EXPRESSION TEXT
  if evaluate "$2" >/dev/null; then failed=$((failed + 1)); echo "FAILED - $1: no error" >&2
  elif grep -qF -- "$3" "$DIR/err"; then passed=$((passed + 1)); echo "ok - $1"
  else failed=$((failed + 1)); echo "FAILED - $1: [$3] not in $(cat "$DIR/err")" >&2; fi
}

L='(import <nixproc> { stateDir = "/s"; forceDisableUserChange = true; ids = { uids.web = 2001; gids.web = 2001; }; })'

check "createManagedProcess records only what was passed" \
  "$L.createManagedProcess { name = \"web\"; process = \"/bin/web\"; args = [ \"-p\" 80 ]; }" \
  "v == {'type': 'managed-process', 'name': 'web', 'process': '/bin/web', 'args': ['-p', 80]}"
check "dependencies become names" \
  "let n = $L; a = n.createManagedProcess { instanceName = \"a\"; process = \"/a\"; }; in n.createManagedProcess { name = \"b\"; process = \"/b\"; dependencies = [ a \"c\" ]; }" \
  "v['dependencies'] == ['a', 'c']"
check_error "a dependency without a name" \
  "let n = $L; in n.createManagedProcess { name = \"b\"; process = \"/b\"; dependencies = [ { port = 1; } ]; }" \
  "has no name or instanceName"
check_error "an unknown parameter" "$L.createManagedProcess { name = \"b\"; argz = []; }" "argz"
check_error "postInstall" "$L.createManagedProcess { name = \"b\"; postInstall = \"touch \$out\"; }" \
  "postInstall is not supported"
check "createSystemVInitScript has its type" \
  "$L.createSystemVInitScript { name = \"s\"; process = \"/s\"; runlevels = [ 3 ]; }" \
  "v == {'type': 'sysvinit-script', 'name': 's', 'process': '/s', 'runlevels': [3]}"
check "createProcessConfig has its type" "$L.createProcessConfig { name = \"p\"; process = \"/p\"; pidFile = \"/p.pid\"; }" \
  "v['type'] == 'process' and v['pidFile'] == '/p.pid' and v['dependencies'] == []"
check "createCredentials takes IDs from ids, explicit values win" \
  "$L.createCredentials { groups.web = {}; users.web = { group = \"web\"; }; users.other = { uid = 5; }; }" \
  "v == {'groups': {'web': {'gid': 2001}}, 'users': {'web': {'uid': 2001, 'group': 'web'}, 'other': {'uid': 5}}}"
check "the common parameters and their defaults" "let n = $L; in [ n.runtimeDir n.tmpDir n.libexecDir ]" \
  "v == ['/s/run', '/s/tmp', '/opt/nixproc/libexec']"
check "writeTextFile: path from the content hash, reported on stderr" \
  "toString ($L.writeTextFile { name = \"a.conf\"; text = \"hello\n\"; })" \
  "v == store + '/' + hashlib.sha256(b'nixproc-file:-:a.conf\nhello\n').hexdigest()[:32] + '-a.conf' and ('trace: nixproc-file ' + json.dumps({'executable': False, 'name': 'a.conf', 'path': v, 'text': 'hello\n'}, separators=(',', ':'))) in err"
check "writeScript is executable" "toString ($L.writeScript \"run\" \"#!/bin/sh\n\")" \
  "v.endswith('-run') and '\"executable\":true' in err"
check "an unused file is not reported" "let f = $L.writeText \"x\" \"y\"; in 1" "v == 1 and 'nixproc-file' not in err"
check "lib helpers" "let l = $L.lib; in [ (l.concatMapStrings (x: x + \",\") [ \"a\" \"b\" ]) (l.escapeShellArg \"it's\") (l.optionalString false \"x\") ]" \
  "v == ['a,b,', \"'it'\\\\''s'\", '']"

A=$NIXPROC_SOURCE/examples/webapps-agnostic
check "the example system" "import $A/processes.nix { stateDir = \"/s\"; forceDisableUserChange = true; }" \
  "sorted(v) == ['nginx', 'webapp'] and v['webapp']['port'] == 5000 and v['webapp']['pkg']['environment'] == {'PORT': 5000, 'PID_FILE': '/s/tmp/webapp.pid'} and v['nginx']['pkg']['dependencies'] == ['webapp'] and v['webapp']['pkg']['daemonExtraArgs'] == ['-D'] and v['webapp']['pkg']['process'] == '/opt/nixproc/libexec/webapp'"
check "the nginx config routes by Host and has no user line when unprivileged" \
  "let m = import $A/processes.nix { stateDir = \"/s\"; forceDisableUserChange = true; }; in builtins.elemAt m.nginx.pkg.args 3" \
  "'upstream webapp5000' in err and 'server_name webapp.local;' in err and 'pid /s/run/nginx.pid;' in err and 'user nginx nginx' not in err"
check "privileged, nginx switches to its own user" \
  "let m = import $A/processes.nix { stateDir = \"/s\"; }; in builtins.elemAt m.nginx.pkg.args 3" \
  "'user nginx nginx;' in err"
check "webappMode foreground and daemon" \
  "let f = import $A/processes.nix { webappMode = \"foreground\"; }; d = import $A/processes.nix { webappMode = \"daemon\"; }; in [ f.webapp.pkg d.webapp.pkg ]" \
  "'foregroundProcess' in v[0] and 'daemon' not in v[0] and v[1]['daemonArgs'] == ['-D'] and v[1]['pidFile'] == '/tmp/webapp.pid'"
check "ids override the ports" \
  "let m = import $A/processes.nix { ids = { webappPorts.webapp = 7000; nginxPorts.nginx = 7001; }; }; in [ m.webapp.port m.nginx.port ]" \
  "v == [7000, 7001]"
check "the advanced topology" "import $A/processes-advanced.nix { stateDir = \"/s\"; }" \
  "sorted(v) == ['nginx', 'nginx2'] + ['webapp%d' % i for i in range(1, 7)] and v['nginx']['pkg']['dependencies'] == ['webapp1', 'webapp2', 'webapp3', 'webapp4'] and v['nginx2']['pkg']['dependencies'] == ['webapp5', 'webapp6'] and v['webapp6']['port'] == 5006 and v['nginx2']['port'] == 8081"

S=$NIXPROC_SOURCE/examples/webapps-sysvinit
check "the sysvinit-specific example" "import $S/processes.nix { stateDir = \"/s\"; forceDisableUserChange = true; }" \
  "v['webapp']['pkg']['type'] == 'sysvinit-script' and v['webapp']['pkg']['runlevels'] == [3, 4, 5] and v['nginx']['pkg']['dependencies'] == ['webapp']"

# nginx accepts the generated configuration.
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
  evaluate "let m = import $A/processes.nix { stateDir = \"$DIR/var\"; forceDisableUserChange = true; }; in builtins.elemAt m.nginx.pkg.args 3" >/dev/null
  conf=$(sed -n 's/^trace: nixproc-file //p' "$DIR/err" | python3 -c '
import json, os, sys
record = json.loads(sys.stdin.readline())
os.makedirs(os.path.dirname(record["path"]), exist_ok=True)
open(record["path"], "w").write(record["text"])
print(record["path"])')
  mkdir -p "$DIR/var/nginx/logs" "$DIR/var/cache/nginx" "$DIR/var/run"
  if /usr/sbin/nginx -t -p "$DIR/var/nginx" -c "$conf" -e "$DIR/var/nginx/logs/error.log" >"$DIR/nginx.out" 2>&1; then
    passed=$((passed + 1)); echo "ok - nginx -t accepts the generated config"
  else failed=$((failed + 1)); echo "FAILED - nginx -t: $(cat "$DIR/nginx.out")" >&2; fi
else
  echo "skipped: nginx -t (nginx is not installed)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
