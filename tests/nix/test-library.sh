#!/bin/bash
# The Nix library (nix/) and the example models, evaluated with
# nix-instantiate the way nixproc does it (dummy store, --eval --strict
# --json, <nixproc> on the search path), checked as data with python3.
#
#   bash tests/nix/test-library.sh        # NIXPROC_SOURCE defaults to this checkout
#
# Prints one line per check and a final "N passed, N failed" line; exits 1
# when a check failed, 77 when nix-instantiate or python3 is missing.
set -u
NIXPROC_SOURCE=${NIXPROC_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}
for tool in nix-instantiate python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "skipped: $tool is missing (apt-get install nix-bin python3)"
    exit 77
  fi
done
DIR=$(mktemp -d /tmp/nixproc-nix-test-XXXXXX)
trap 'rm -rf "$DIR"' EXIT
export NIXPROC_STORE_DIR=$DIR/store NIXPROC_LIBEXEC_DIR=/opt/nixproc/libexec
NIX=$NIXPROC_SOURCE/nix
A=$NIXPROC_SOURCE/examples/webapps-agnostic
S=$NIXPROC_SOURCE/examples/webapps-sysvinit
V=$NIXPROC_SOURCE/examples/services-agnostic
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "FAILED - $1" >&2; }

# evaluate EXPRESSION: the JSON value on stdout, stderr in $DIR/err.
evaluate() {
  nix-instantiate --store dummy:// --eval --strict --json -I "nixproc=$NIX" -E "$1" 2>"$DIR/err"
}

# What the Python checks see: v (the value), err (stderr), files (the
# reported files, path -> record), store, file_path(name, text, executable)
# (the path formula of docs/model-format.md), conf(v) (the text of the file
# a path refers to).
cat >"$DIR/prelude.py" <<'PY'
import hashlib, json, os, sys
store = os.environ['NIXPROC_STORE_DIR']
v = json.load(open(sys.argv[1]))
err = open(sys.argv[2]).read()
PREFIX = 'trace: nixproc-file '
records = [json.loads(line[len(PREFIX):]) for line in err.splitlines() if line.startswith(PREFIX)]
files = {record['path']: record for record in records}
def file_path(name, text, executable=False):
    data = 'nixproc-file:' + ('x' if executable else '-') + ':' + name + '\n' + text
    return store + '/' + hashlib.sha256(data.encode()).hexdigest()[:32] + '-' + name
def conf(path):
    return files[path]['text']
def require(condition, message='check failed'):
    if not condition:
        raise AssertionError(message)
PY

# check DESCRIPTION EXPRESSION PYTHON: PYTHON (statements; `assert` or
# require) must pass for the evaluated value.
check() {
  if ! evaluate "$2" >"$DIR/value"; then
    fail "$1: evaluation failed: $(cat "$DIR/err")"
    return
  fi
  if { cat "$DIR/prelude.py"; printf '%s\n' "$3"; } >"$DIR/check.py" &&
    python3 "$DIR/check.py" "$DIR/value" "$DIR/err" >"$DIR/py" 2>&1; then
    pass "$1"
  else
    fail "$1: $(tail -n 3 "$DIR/py") (value: $(head -c 2000 "$DIR/value"))"
  fi
}

# check_error DESCRIPTION EXPRESSION TEXT...: the evaluation fails and its
# error contains every TEXT.
check_error() {
  local what=$1 expression=$2
  shift 2
  if evaluate "$expression" >/dev/null; then
    fail "$what: no error"
    return
  fi
  for text in "$@"; do
    if ! grep -qF -- "$text" "$DIR/err"; then
      fail "$what: [$text] not in: $(cat "$DIR/err")"
      return
    fi
  done
  pass "$what"
}

L='(import <nixproc> { stateDir = "/s"; forceDisableUserChange = true; ids = { uids.web = 2001; gids.web = 2001; }; })'

# --- createManagedProcess
check "createManagedProcess records only what was passed" \
  "$L.createManagedProcess { name = \"web\"; process = \"/bin/web\"; args = [ \"-p\" 80 ]; }" \
  "assert v == {'type': 'managed-process', 'name': 'web', 'process': '/bin/web', 'args': ['-p', 80]}, v"
check "createManagedProcess accepts every parameter of the contract" \
  "$L.createManagedProcess {
     name = \"n\"; description = \"d\"; initialize = \"i\"; process = \"/p\"; args = [ \"a\" ];
     daemon = \"/d\"; daemonExtraArgs = [ \"-D\" ]; daemonArgs = [ \"-x\" ];
     foregroundProcess = \"/f\"; foregroundProcessExtraArgs = [ \"-F\" ]; foregroundProcessArgs = [ \"-y\" ];
     instanceName = \"inst\"; pidFile = \"/p.pid\"; path = [ \"/usr\" ]; environment = { A = \"1\"; B = 2; C = true; };
     directory = \"/w\"; umask = \"022\"; nice = 5; user = \"u\"; dependencies = [ \"x\" ];
     credentials = { groups = {}; users = {}; }; overrides = { sysvinit.runlevels = [ 3 ]; };
     postInstall = \"\"; }" \
  "assert sorted(v) == sorted(['type', 'name', 'description', 'initialize', 'process', 'args', 'daemon',
  'daemonExtraArgs', 'daemonArgs', 'foregroundProcess', 'foregroundProcessExtraArgs', 'foregroundProcessArgs',
  'instanceName', 'pidFile', 'path', 'environment', 'directory', 'umask', 'nice', 'user', 'dependencies',
  'credentials', 'overrides']), sorted(v)
assert v['environment'] == {'A': '1', 'B': 2, 'C': True} and v['nice'] == 5 and v['overrides'] == {'sysvinit': {'runlevels': [3]}}"
check "an instanceName alone is enough" "$L.createManagedProcess { instanceName = \"w\"; process = \"/w\"; }" \
  "assert v == {'type': 'managed-process', 'instanceName': 'w', 'process': '/w'}"
check "dependencies become names: name first, then instanceName, strings as they are" \
  "let n = $L;
       a = n.createManagedProcess { instanceName = \"a\"; process = \"/a\"; };
       b = n.createManagedProcess { name = \"b\"; instanceName = \"b-instance\"; process = \"/b\"; };
       s = n.createSystemVInitScript { instanceName = \"s\"; process = \"/s\"; };
   in n.createManagedProcess { name = \"c\"; process = \"/c\"; dependencies = [ a b s \"d\" ]; }" \
  "assert v['dependencies'] == ['a', 'b', 's', 'd'], v['dependencies']"
check_error "a dependency without a name" \
  "$L.createManagedProcess { name = \"b\"; process = \"/b\"; dependencies = [ { port = 1; } ]; }" \
  'createManagedProcess "b"' "has no name or instanceName"
check_error "a model instance as a dependency gets a hint" \
  "$L.createManagedProcess { name = \"b\"; process = \"/b\"; dependencies = [ { port = 1; pkg = {}; } ]; }" \
  "has no name or instanceName" "depend on its \`pkg\`"
check_error "dependencies must be a list" \
  "$L.createManagedProcess { name = \"b\"; process = \"/b\"; dependencies = \"a\"; }" "dependencies must be a list"
check_error "an unknown parameter is an error" "$L.createManagedProcess { name = \"b\"; argz = []; }" \
  "unexpected argument 'argz'"
check "a non-empty postInstall is kept (nixproc runs it when it builds)" \
  "$L.createManagedProcess { name = \"b\"; process = \"/b\"; postInstall = \"touch \$out/x\"; }" \
  "assert v['postInstall'] == 'touch \$out/x', v"
check_error "a postInstall that is not a string is an error" \
  "$L.createManagedProcess { name = \"b\"; postInstall = [ ]; }" 'createManagedProcess "b": postInstall must be a string'
check_error "a process without a name" "$L.createManagedProcess { process = \"/b\"; }" \
  "no process name was specified or can be inferred"
check_error "a function as an override" \
  "$L.createManagedProcess { name = \"b\"; process = \"/b\"; overrides.sysvinit = args: args; }" \
  "overrides.sysvinit is a function"
check "files and path literals become paths, also nested" \
  "let n = $L; f = n.writeText \"f.conf\" \"x\"; in n.createManagedProcess {
     name = \"w\"; process = \"/w\"; args = [ \"-c\" f ]; environment.CONF = f;
     overrides.sysvinit.globalInstructions = \"cat \${f}\"; directory = $NIXPROC_SOURCE/nix; }" \
  "p = file_path('f.conf', 'x')
assert v['args'] == ['-c', p] and v['environment'] == {'CONF': p}, v
assert v['overrides']['sysvinit']['globalInstructions'] == 'cat ' + p
assert v['directory'] == '$NIX' and list(files) == [p]"

# --- createSystemVInitScript and createProcessConfig
check "createSystemVInitScript records only what was passed, with its type" \
  "$L.createSystemVInitScript { name = \"s\"; process = \"/s\"; runlevels = [ 3 ]; }" \
  "assert v == {'type': 'sysvinit-script', 'name': 's', 'process': '/s', 'runlevels': [3]}, v"
check "createSystemVInitScript accepts every field of the contract" \
  "$L.createSystemVInitScript {
     name = \"s\"; instanceName = \"s\"; description = \"d\"; globalInstructions = \"g\"; umask = \"022\";
     nice = \"1\"; directory = \"/\"; path = []; environment = {}; initialize = \"\"; process = \"/s\";
     processIsDaemon = false; enableDaemonOutputLogging = false; args = []; pidFile = \"/s.pid\"; user = \"u\";
     reloadSignal = \"-USR1\"; instructions.start = { activity = \"Starting\"; instruction = \"x\"; };
     activities.status = \"y\"; removeActivities = [ \"reload\" ]; runlevels = []; defaultStart = [ 2 ];
     defaultStop = [ 0 ]; dependencies = [ \"w\" ]; credentials = {}; postInstall = \"\"; }" \
  "assert len(v) == 26 and 'postInstall' not in v and v['type'] == 'sysvinit-script' and v['dependencies'] == ['w'], sorted(v)"
check_error "createSystemVInitScript: an unknown parameter" \
  "$L.createSystemVInitScript { name = \"s\"; process = \"/s\"; daemon = \"/d\"; }" "unexpected argument 'daemon'"
check "createSystemVInitScript: postInstall is kept" \
  "$L.createSystemVInitScript { name = \"s\"; process = \"/s\"; postInstall = \"x\"; }" "assert v['postInstall'] == 'x', v"
check "createProcessConfig records only what was passed, with its type" \
  "let n = $L; in n.createProcessConfig { name = \"p\"; process = \"/p\"; pidFile = \"/p.pid\"; program = \"/bin/p\";
     dependencies = [ (n.createProcessConfig { name = \"q\"; process = \"/q\"; }) ]; }" \
  "assert v == {'type': 'process', 'name': 'p', 'process': '/p', 'pidFile': '/p.pid', 'program': '/bin/p', 'dependencies': ['q']}, v"
check "createSystemdService records sections as they are, with its type" \
  "let n = $L; in n.createSystemdService { name = \"u\"; Unit.Description = \"d\";
     Service.ExecStart = [ \"/bin/u\" \"-f\" ]; dependencies = [ \"w\" ]; }" \
  "assert v == {'type': 'systemd-unit', 'name': 'u', 'Unit': {'Description': 'd'}, 'Service': {'ExecStart': ['/bin/u', '-f']}, 'dependencies': ['w']}, v"
check "createLaunchdDaemon records only what was passed, with its type" \
  "$L.createLaunchdDaemon { name = \"l\"; process = \"/l\"; args = [ \"-x\" ]; plist.KeepAlive = true; }" \
  "assert v == {'type': 'launchd-daemon', 'name': 'l', 'process': '/l', 'args': ['-x'], 'plist': {'KeepAlive': True}}, v"
check_error "createLaunchdDaemon: an unknown parameter" \
  "$L.createLaunchdDaemon { name = \"l\"; process = \"/l\"; Program = \"/x\"; }" "unexpected argument 'Program'"
check "createLongRunService and createOneShotService record s6-rc definitions with their service type" \
  "let n = $L; in [ (n.createLongRunService { name = \"r\"; run = \"#!/bin/sh\"; timeoutKill = 500; })
     (n.createOneShotService { name = \"o\"; up = \"true\"; dependencies = [ \"r\" ]; }) ]" \
  "assert v == [{'type': 's6-rc-service', 'serviceType': 'longrun', 'name': 'r', 'run': '#!/bin/sh', 'timeoutKill': 500}, {'type': 's6-rc-service', 'serviceType': 'oneshot', 'name': 'o', 'up': 'true', 'dependencies': ['r']}], v"
check_error "createProcessConfig needs a process" "$L.createProcessConfig { name = \"p\"; }" "process"

# --- createCredentials
check "createCredentials takes IDs from ids by name, explicit values win" \
  "$L.createCredentials { groups.web = {}; groups.other = {}; users.web = { group = \"web\"; }; users.other = { uid = 5; }; }" \
  "assert v == {'groups': {'web': {'gid': 2001}, 'other': {}}, 'users': {'web': {'uid': 2001, 'group': 'web'}, 'other': {'uid': 5}}}, v"
check "an explicit gid wins over ids" "$L.createCredentials { groups.web.gid = 7; }" \
  "assert v == {'groups': {'web': {'gid': 7}}, 'users': {}}"
check "createCredentials without ids, and forceDisableUserChange changes nothing" \
  "(import <nixproc> { forceDisableUserChange = true; }).createCredentials { users.web = { homeDir = \"/h\"; createHomeDir = true; }; }" \
  "assert v == {'groups': {}, 'users': {'web': {'homeDir': '/h', 'createHomeDir': True}}}"
check_error "createCredentials: properties must be an attribute set" \
  "$L.createCredentials { users.web = \"x\"; }" "users.web must be an attribute set"

# --- the common parameters
check "the common parameters and their defaults" \
  "let n = import <nixproc> {}; in [ n.stateDir n.runtimeDir n.logDir n.cacheDir n.spoolDir n.lockDir n.libDir n.tmpDir n.forceDisableUserChange n.processManager n.ids ]" \
  "assert v == ['/var', '/var/run', '/var/log', '/var/cache', '/var/spool', '/var/lock', '/var/lib', '/tmp', False, None, {}], v"
check "another stateDir moves every directory, tmpDir included" \
  "let n = import <nixproc> { stateDir = \"/s\"; runtimeDir = \"/r\"; processManager = \"sysvinit\"; callingUser = \"me\"; }; in [ n.runtimeDir n.logDir n.cacheDir n.libDir n.tmpDir n.processManager ]" \
  "assert v == ['/r', '/s/log', '/s/cache', '/s/lib', '/s/tmp', 'sysvinit'], v"
check "libexecDir comes from NIXPROC_LIBEXEC_DIR" "$L.libexecDir" "assert v == '/opt/nixproc/libexec'"

# --- writeTextFile, writeText, writeScript
check "writeTextFile: the path formula and the trace line" \
  "toString ($L.writeTextFile { name = \"a.conf\"; text = \"hello\n\"; })" \
  "assert v == file_path('a.conf', 'hello\n'), v
line = 'trace: nixproc-file ' + json.dumps({'executable': False, 'name': 'a.conf', 'path': v, 'text': 'hello\n'}, separators=(',', ':'))
assert line in err.splitlines(), err"
check "writeScript is executable, writeText is not" \
  "let n = $L; in [ \"\${n.writeScript \"run\" \"#!/bin/sh\n\"}\" \"\${n.writeText \"t\" \"x\"}\" ]" \
  "assert v == [file_path('run', '#!/bin/sh\n', True), file_path('t', 'x')], v
assert files[v[0]]['executable'] is True and files[v[1]]['executable'] is False"
check "hostile text survives the trace line" \
  "toString ($L.writeText \"h\" \"quote ' \\\" dollar \\\${x} \$HOME back\\\\slash\ttab\nline % ü \")" \
  "text = 'quote \' \" dollar \${x} \$HOME back\\\\slash\ttab\nline % ü '
assert v == file_path('h', text) and files[v]['text'] == text, files"
check "a file used in another file is reported too" \
  "let n = $L; a = n.writeText \"a\" \"A\"; in toString (n.writeScript \"b\" \"cat \${a}\n\")" \
  "a = file_path('a', 'A')
assert v == file_path('b', 'cat ' + a + '\n', True) and sorted(files) == sorted([a, v])"
check "an unused file is not reported" "let f = $L.writeText \"x\" \"y\"; in 1" \
  "assert v == 1 and 'nixproc-file' not in err"
if NIXPROC_STORE_DIR='' evaluate "toString ($L.writeText \"a\" \"b\")" >"$DIR/value" &&
  grep -q '"/var/lib/nixproc/store/[0-9a-f]\{32\}-a"' "$DIR/value"; then
  pass "without NIXPROC_STORE_DIR files go to /var/lib/nixproc/store"
else
  fail "without NIXPROC_STORE_DIR: $(cat "$DIR/value" "$DIR/err")"
fi
check_error "writeTextFile: destination is not supported" \
  "toString ($L.writeTextFile { name = \"a\"; text = \"\"; destination = \"/bin/a\"; })" "destination is not supported"
check_error "writeTextFile: an invalid name" "toString ($L.writeText \"a/b\" \"\")" "invalid file name"
check_error "writeTextFile: an unknown parameter" \
  "toString ($L.writeTextFile { name = \"a\"; text = \"\"; mode = 1; })" "unexpected argument 'mode'"

# --- lib
check "lib helpers" \
  "let l = $L.lib; in [ (l.concatMapStrings (x: x + \",\") [ \"a\" \"b\" ]) (l.escapeShellArg \"it's\")
     (l.optionalString false \"x\") (l.optional true 1) (l.optionalAttrs false { a = 1; })
     (l.mapAttrsToList (k: v: k + v) { a = \"1\"; b = \"2\"; }) (l.filterAttrs (k: v: v > 1) { a = 1; b = 2; })
     (l.attrValues { a = 1; b = 2; }) (l.escapeShellArgs [ \"a b\" 1 ]) (l.concatStringsSep \"-\" [ \"x\" \"y\" ])
     (l.recursiveUpdate { a.b = 1; a.c = 2; } { a.b = 3; d = 4; }) (l.makeBinPath [ \"/usr\" \"/opt/x\" ])
     (l.removeSuffix \".conf\" \"a.conf\") (l.hasPrefix \"/\" \"/a\") (l.genAttrs [ \"x\" ] (n: n + n)) (l.range 1 3) ]" \
  "assert v == ['a,b,', \"'it'\\\\''s'\", '', [1], {}, ['a1', 'b2'], {'b': 2}, [1, 2], \"'a b' '1'\", 'x-y',
  {'a': {'b': 3, 'c': 2}, 'd': 4}, '/usr/bin:/opt/x/bin', 'a', True, {'x': 'xx'}, [1, 2, 3]], v"

# --- the example system (webapps-agnostic)
check "processes.nix: instances, metadata, only explicit parameters" \
  "(import $A/processes.nix) { stateDir = \"/s\"; forceDisableUserChange = true; }" \
  "assert sorted(v) == ['nginx', 'webapp']
w = v['webapp']; n = v['nginx']
assert w['port'] == 5000 and w['dnsName'] == 'webapp.local' and w['requiresUniqueIdsFor'] == ['webappPorts', 'uids', 'gids']
assert n['port'] == 8080 and n['requiresUniqueIdsFor'] == ['nginxPorts', 'uids', 'gids']
assert w['pkg'] == {'type': 'managed-process', 'instanceName': 'webapp', 'description': 'Simple web application',
  'process': '/opt/nixproc/libexec/webapp', 'daemonExtraArgs': ['-D'],
  'environment': {'PORT': 5000, 'PID_FILE': '/s/tmp/webapp.pid'}, 'user': 'webapp',
  'credentials': {'groups': {'webapp': {'gid': 2001}}, 'users': {'webapp': {'uid': 2001, 'group': 'webapp', 'description': 'Webapp'}}},
  'overrides': {'sysvinit': {'runlevels': [3, 4, 5]}}}, w['pkg']
p = n['pkg']
assert sorted(p) == ['args', 'credentials', 'dependencies', 'description', 'foregroundProcessExtraArgs',
  'initialize', 'instanceName', 'overrides', 'process', 'type'], sorted(p)
assert p['instanceName'] == 'nginx' and p['process'] == '/usr/sbin/nginx' and p['dependencies'] == ['webapp']
assert p['args'][:2] == ['-p', '/s/nginx'] and p['args'][2] == '-c' and p['args'][4:] == ['-e', '/s/nginx/logs/error.log']
assert p['args'][3] == file_path('nginx.conf', conf(p['args'][3])) and list(files) == [p['args'][3]]
assert p['foregroundProcessExtraArgs'] == ['-g', 'daemon off;'] and p['overrides'] == {'sysvinit': {'runlevels': [3, 4, 5]}}
assert p['credentials'] == {'groups': {'nginx': {'gid': 2000}}, 'users': {'nginx': {'uid': 2000, 'group': 'nginx', 'description': 'Nginx user'}}}
assert 'mkdir -p /s/nginx/logs /s/cache/nginx' in p['initialize'] and 'chown' not in p['initialize']"
check "the nginx config routes by Host, has no user line when unprivileged" \
  "(import $A/processes.nix) { stateDir = \"/s\"; forceDisableUserChange = true; }" \
  "c = conf(v['nginx']['pkg']['args'][3]); lines = [l.strip() for l in c.splitlines()]
for line in ['pid /s/run/nginx.pid;', 'error_log /s/nginx/logs/error.log;', 'worker_connections 1024;',
             'access_log /s/nginx/logs/access.log;', 'proxy_temp_path /s/cache/nginx/proxy;',
             'client_body_temp_path /s/cache/nginx/client_body;', 'fastcgi_temp_path /s/cache/nginx/fastcgi;',
             'uwsgi_temp_path /s/cache/nginx/uwsgi;', 'scgi_temp_path /s/cache/nginx/scgi;',
             'upstream webapp5000 {', 'server 127.0.0.1:5000;', 'listen 8080 default_server;', 'server_name aaaa;',
             'server_name webapp.local;', 'proxy_pass http://webapp5000;']:
    require(line in lines, line + ' missing in:\n' + c)
assert 'This web application is unavailable at the moment!' in c and not any(l.startswith('user ') for l in lines), c
assert c.count('{') == c.count('}')"
check "privileged: nginx switches to its own user and owns its state" \
  "(import $A/processes.nix) { stateDir = \"/s\"; }" \
  "p = v['nginx']['pkg']; assert 'user nginx nginx;' in conf(p['args'][3]).splitlines()
assert 'chown nginx:nginx /s/nginx/logs /s/cache/nginx' in p['initialize']"
check "the defaults: stateDir /var, tmpDir /tmp" "(import $A/processes.nix) { }" \
  "assert v['webapp']['pkg']['environment']['PID_FILE'] == '/tmp/webapp.pid' and v['nginx']['pkg']['args'][1] == '/var/nginx'"
check "webappMode foreground and daemon" \
  "[ ((import $A/processes.nix) { webappMode = \"foreground\"; }).webapp.pkg ((import $A/processes.nix) { webappMode = \"daemon\"; }).webapp.pkg ]" \
  "f, d = v
assert f['foregroundProcess'] == '/opt/nixproc/libexec/webapp' and f['environment'] == {'PORT': 5000}
assert not {'process', 'daemon', 'daemonArgs', 'daemonExtraArgs', 'pidFile'} & set(f), f
assert d['daemon'] == '/opt/nixproc/libexec/webapp' and d['daemonArgs'] == ['-D'] and d['pidFile'] == '/tmp/webapp.pid'
assert d['environment'] == {'PORT': 5000, 'PID_FILE': '/tmp/webapp.pid'} and not {'process', 'foregroundProcess'} & set(d), d"
check_error "an unknown webappMode" "((import $A/processes.nix) { webappMode = \"both\"; }).webapp.pkg" "unknown webappMode"
check "ids override the ports and the IDs" \
  "let m = (import $A/processes.nix) { ids = { webappPorts.webapp = 7000; nginxPorts.nginx = 7001; uids.webapp = 3000; }; }; in [ m.webapp.port m.nginx.port m.webapp.pkg.environment.PORT m.webapp.pkg.credentials ]" \
  "assert v == [7000, 7001, 7000, {'groups': {'webapp': {}}, 'users': {'webapp': {'uid': 3000, 'group': 'webapp', 'description': 'Webapp'}}}], v"
check_error "the nginx constructor rejects inter-dependencies" \
  "let n = import <nixproc> {}; c = import $A/constructors.nix { nixproc = n; }; in c.nginxReverseProxyHostBased {} { webapp = {}; }" \
  "inter-dependencies"
check "the advanced topology" "(import $A/processes-advanced.nix) { stateDir = \"/s\"; forceDisableUserChange = true; }" \
  "assert sorted(v) == ['nginx', 'nginx2'] + ['webapp%d' % i for i in range(1, 7)], sorted(v)
for i in range(1, 7):
    w = v['webapp%d' % i]
    require(w['port'] == 5000 + i and w['dnsName'] == 'webapp%d.local' % i, w)
    require(w['pkg']['instanceName'] == 'webapp%d' % i and w['pkg']['environment']['PORT'] == 5000 + i, w)
    require(w['pkg']['credentials']['users']['webapp%d' % i]['uid'] == 2002 + i, w)
n, n2 = v['nginx'], v['nginx2']
assert n['port'] == 8080 and n2['port'] == 8081
assert n['pkg']['dependencies'] == ['webapp1', 'webapp2', 'webapp3', 'webapp4']
assert n2['pkg']['dependencies'] == ['webapp5', 'webapp6'] and n2['pkg']['instanceName'] == 'nginx2'
assert n2['pkg']['credentials']['groups'] == {'nginx2': {'gid': 2002}} and n2['pkg']['args'][1] == '/s/nginx2'
c1, c2 = conf(n['pkg']['args'][3]), conf(n2['pkg']['args'][3])
assert [l.strip() for l in c1.splitlines() if 'server_name webapp' in l] == ['server_name webapp%d.local;' % i for i in range(1, 5)], c1
assert [l.strip() for l in c2.splitlines() if 'upstream' in l] == ['upstream webapp5005 {', 'upstream webapp5006 {'], c2
assert 'pid /s/run/nginx2.pid;' in c2 and 'listen 8081 default_server;' in c2 and '/s/cache/nginx2/proxy' in c2"

# --- the same system with createSystemVInitScript (webapps-sysvinit)
check "webapps-sysvinit/processes.nix" "(import $S/processes.nix) { stateDir = \"/s\"; forceDisableUserChange = true; }" \
  "w, n = v['webapp'], v['nginx']
assert w['port'] == 5000 and w['dnsName'] == 'webapp.local' and n['port'] == 8080
assert w['pkg'] == {'type': 'sysvinit-script', 'name': 'webapp', 'instanceName': 'webapp', 'description': 'Simple web application',
  'process': '/opt/nixproc/libexec/webapp', 'args': ['-D'], 'environment': {'PORT': 5000, 'PID_FILE': '/s/tmp/webapp.pid'},
  'runlevels': [3, 4, 5], 'user': 'webapp',
  'credentials': {'groups': {'webapp': {'gid': 2001}}, 'users': {'webapp': {'uid': 2001, 'group': 'webapp', 'description': 'Webapp'}}}}, w['pkg']
p = n['pkg']
assert p['type'] == 'sysvinit-script' and p['name'] == 'nginx' and p['dependencies'] == ['webapp'] and 'user' not in p
assert p['args'][0] == '-c' and p['args'][2:] == ['-p', '/s/nginx', '-e', '/s/nginx/logs/error.log'] and p['runlevels'] == [3, 4, 5]
assert 'server_name webapp.local;' in conf(p['args'][1])"
check "both examples generate the same nginx.conf" \
  "[ ((import $A/processes.nix) { stateDir = \"/s\"; }).nginx.pkg.args ((import $S/processes.nix) { stateDir = \"/s\"; }).nginx.pkg.args ]" \
  "assert v[0][3] == v[1][1], v"
check "webapps-sysvinit/processes-advanced.nix" "(import $S/processes-advanced.nix) { stateDir = \"/s\"; }" \
  "assert sorted(v) == ['nginx', 'nginx2'] + ['webapp%d' % i for i in range(1, 7)]
assert v['nginx']['pkg']['dependencies'] == ['webapp1', 'webapp2', 'webapp3', 'webapp4'] and v['nginx2']['pkg']['dependencies'] == ['webapp5', 'webapp6']
assert v['webapp6']['port'] == 5006 and v['webapp6']['pkg']['credentials']['users']['webapp6']['uid'] == 2008 and v['nginx2']['port'] == 8081
assert all(x['pkg']['type'] == 'sysvinit-script' for x in v.values())"

# --- the services example (services-agnostic)
check "services processes.nix: instances, ports, dependencies" \
  "(import $V/processes.nix) { stateDir = \"/s\"; forceDisableUserChange = true; }" \
  "assert sorted(v) == ['nginx', 'nginx2', 'postgresql1', 'postgresql2', 'redis1', 'redis2', 's6-svscan1',
  'supervisord1', 'webapp1', 'webapp2'], sorted(v)
assert [v[k]['port'] for k in ['webapp1', 'webapp2', 'nginx', 'nginx2', 'postgresql1', 'postgresql2', 'redis1', 'redis2', 'supervisord1']] \
  == [5001, 5002, 8080, 8081, 5432, 5433, 6379, 6380, 9001]
assert v['nginx']['pkg']['dependencies'] == ['webapp1', 'webapp2'] == v['nginx2']['pkg']['dependencies']
c = conf(v['nginx2']['pkg']['args'][3])
assert 'location /webapp1/ {' in c and 'proxy_pass http://webapp5002/;' in c, c
p = v['postgresql1']['pkg']
assert p['foregroundProcess'] == '/usr/lib/postgresql/15/bin/postgres' and p['args'] == ['-D', '/s/db/postgresql1', '-p', 5432, '-k', '/s/run/postgresql1']
assert 'chown' not in p['initialize'] and 'chainload' not in p['initialize'] and \"'/usr/lib/postgresql/15/bin/initdb' -D '/s/db/postgresql1'\" in p['initialize']
r = v['redis2']['pkg']
assert r['process'] == '/usr/bin/redis-server' and r['pidFile'] == '/s/tmp/redis2.pid' and 'chown' not in r['initialize']
assert conf(r['args'][0]).splitlines()[:3] == ['port 6380', 'bind 127.0.0.1', 'dir \"/s/db/redis2\"'], conf(r['args'][0])
sv = v['supervisord1']['pkg']
assert sv['process'] == '/usr/bin/supervisord' and sv['foregroundProcessExtraArgs'] == ['-n'] and sv['pidFile'] == '/s/run/supervisord1/supervisord.pid'
c = conf(sv['args'][1])
for line in ['file = /s/run/supervisord1/supervisord.sock', 'port = 127.0.0.1:9001', 'files = /s/supervisord1/conf.d/*.conf',
             '[program:hello]', 'command = /bin/sleep infinity']:
    require(line in c.splitlines(), line + ' missing in:\n' + c)
assert 'mkdir -p \'/s/supervisord1/conf.d\'' in sv['initialize']
s6 = v['s6-svscan1']['pkg']
assert s6['foregroundProcess'] == '/usr/bin/s6-svscan' and s6['args'] == ['/s/run/service1'] and 'process' not in s6
run = [f for f in files.values() if f['name'] == 's6-svscan1-hello-run'][0]
assert run['executable'] and 'exec sleep infinity' in run['text'] and run['path'] in s6['initialize']"
check "services, privileged: initdb runs as the instance's user, state is chowned" \
  "(import $V/processes.nix) { stateDir = \"/s\"; }" \
  "p = v['postgresql1']['pkg']['initialize']
assert \"chown 'postgresql1:postgresql1' '/s/run/postgresql1' '/s/db/postgresql1'\" in p, p
assert \"'/opt/nixproc/libexec/nixproc-chainload-user' 'postgresql1' '/usr/lib/postgresql/15/bin/initdb'\" in p, p
assert \"chown 'redis1:redis1'\" in v['redis1']['pkg']['initialize'] and v['redis1']['pkg']['user'] == 'redis1'"
check "supervisord escapes % and renders typed program options" \
  "let n = import <nixproc> { stateDir = \"/s\"; }; c = import $V/constructors.nix { nixproc = n; }; in c.supervisord { instanceName = \"sv\"; programs.p = { command = \"echo 100%\"; autostart = false; startsecs = 3; }; }" \
  "c = conf(v['args'][1]).splitlines()
assert 'command = echo 100%%' in c and 'autostart = false' in c and 'startsecs = 3' in c and not any(l.startswith('[include]') for l in c), c"
check_error "a supervisord program needs a command" \
  "let n = import <nixproc> { }; c = import $V/constructors.nix { nixproc = n; }; in c.supervisord { programs.p = { }; }" \
  "program p has no command"
check_error "a supervisord value cannot hold a newline" \
  "let n = import <nixproc> { }; c = import $V/constructors.nix { nixproc = n; }; in c.supervisord { programs.p.command = \"a\nb\"; }" \
  "contains a newline"
check_error "s6-svscan rejects an invalid service name" \
  "let n = import <nixproc> { }; c = import $V/constructors.nix { nixproc = n; }; in c.s6-svscan { services.\"../x\" = \"\"; }" \
  "invalid service name"

# --- through nixproc's own entry point (nix/eval-model.nix), when it exists
if [ -f "$NIX/eval-model.nix" ]; then
  for model in "$A/processes.nix" "$A/processes-advanced.nix" "$S/processes.nix" "$S/processes-advanced.nix" "$V/processes.nix"; do
    if nix-instantiate --store dummy:// --eval --strict --json "$NIX/eval-model.nix" -I "nixproc=$NIX" \
      --arg exprFile "$model" --argstr paramsJSON '{"stateDir": "/s", "forceDisableUserChange": true, "processManager": "sysvinit"}' \
      >"$DIR/value" 2>"$DIR/err" &&
      python3 -c '
import json, sys
model = json.load(open(sys.argv[1]))
assert model and all(isinstance(i["pkg"], dict) and i["pkg"]["type"] for i in model.values())
assert "__nixprocFunction" not in open(sys.argv[1]).read()' "$DIR/value" 2>"$DIR/py"; then
      pass "eval-model.nix evaluates ${model#"$NIXPROC_SOURCE"/}"
    else
      fail "eval-model.nix and ${model#"$NIXPROC_SOURCE"/}: $(cat "$DIR/err" "$DIR/py")"
    fi
  done
fi

# --- nginx accepts the generated configurations
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
if [ -x "$nginx_bin" ]; then
  # nginx_check DESCRIPTION EXPRESSION INSTANCE: writes the reported files
  # where they belong, creates the instance's state and runs nginx -t.
  nginx_check() {
    local state=$DIR/var conf
    if ! evaluate "$2" >"$DIR/value"; then fail "$1: $(cat "$DIR/err")"; return; fi
    conf=$(python3 - "$DIR/value" "$DIR/err" <<'PY'
import json, os, sys
PREFIX = 'trace: nixproc-file '
for line in open(sys.argv[2]).read().splitlines():
    if line.startswith(PREFIX):
        record = json.loads(line[len(PREFIX):])
        os.makedirs(os.path.dirname(record['path']), exist_ok=True)
        with open(record['path'], 'w') as out:
            out.write(record['text'])
print(json.load(open(sys.argv[1])))
PY
    )
    mkdir -p "$state/$3/logs" "$state/cache/$3" "$state/run"
    if "$nginx_bin" -t -p "$state/$3" -c "$conf" -e "$state/$3/logs/error.log" >"$DIR/nginx.out" 2>&1; then
      pass "$1"
    else
      fail "$1: $(cat "$DIR/nginx.out")"
    fi
  }
  nginx_check "nginx -t accepts the config of processes.nix" \
    "builtins.elemAt ((import $A/processes.nix) { stateDir = \"$DIR/var\"; forceDisableUserChange = true; }).nginx.pkg.args 3" nginx
  nginx_check "nginx -t accepts the config of nginx (advanced)" \
    "builtins.elemAt ((import $A/processes-advanced.nix) { stateDir = \"$DIR/var\"; forceDisableUserChange = true; }).nginx.pkg.args 3" nginx
  nginx_check "nginx -t accepts the config of nginx2 (advanced)" \
    "builtins.elemAt ((import $A/processes-advanced.nix) { stateDir = \"$DIR/var\"; forceDisableUserChange = true; }).nginx2.pkg.args 3" nginx2
  if [ "$(id -u)" = 0 ] && getent passwd nobody >/dev/null && getent group nogroup >/dev/null; then
    # The privileged config names the instance's user; check it with a user
    # that exists (the text is otherwise the same).
    nginx_check "nginx -t accepts the privileged config (user line)" \
      "let n = import <nixproc> { stateDir = \"$DIR/var\"; };
           m = (import $A/processes.nix) { stateDir = \"$DIR/var\"; };
           c = import $A/nginx-config.nix { nixproc = n; } {
             instanceName = \"nginx\"; port = 8080; webapps = [ m.webapp ]; workerConnections = 1024; };
       in toString (n.writeText \"privileged.conf\"
         (builtins.replaceStrings [ \"user nginx nginx;\" ] [ \"user nobody nogroup;\" ] c.text))" nginx
  fi
else
  echo "skipped: nginx -t (nginx is not installed: apt-get install nginx)"
fi

# --- the original framework's constructors and semantics (docs/compat.md)
C=$NIX/compat/nix-processmgmt/nixproc
check "ids apply to plain credentials in createManagedProcess" \
  "$L.createManagedProcess { name = \"web\"; process = \"/bin/web\"; credentials = { users.web = { group = \"web\"; }; groups.web = { }; }; }" \
  "assert v['credentials'] == {'groups': {'web': {'gid': 2001}}, 'users': {'web': {'group': 'web', 'uid': 2001}}}, v"
check "ids apply to plain credentials in createSystemVInitScript; explicit ids win" \
  "$L.createSystemVInitScript { name = \"web\"; process = \"/bin/web\"; credentials = { users.web = { uid = 7; }; groups.web = { }; }; }" \
  "assert v['credentials'] == {'groups': {'web': {'gid': 2001}}, 'users': {'web': {'uid': 7}}}, v"
check "createSupervisordProgram: command split, useProxy, program keys at the top level" \
  "$L.createSupervisordProgram { name = \"web\"; command = \"/bin/web  -p 80\"; useProxy = true; pidFile = \"/run/web.pid\"; startsecs = 5; directory = \"/srv\"; }" \
  "assert v == {'type': 'supervisord-program', 'name': 'web', 'process': '/bin/web', 'args': ['-p', '80'], 'processIsDaemon': True, 'pidFile': '/run/web.pid', 'directory': '/srv', 'program': {'startsecs': 5}}, v"
check "createSupervisordProgram splits command as supervisord's shlex does" \
  "($L.createSupervisordProgram { name = \"web\"; command = ''/bin/web 'a b' \"c \\\" d\" e\\ f''; }).args" \
  "assert v == ['a b', 'c \" d', 'e f'], v"
check_error "createSupervisordProgram refuses an open quote" \
  "$L.createSupervisordProgram { name = \"web\"; command = \"/bin/web 'a b\"; }" 'createSupervisordProgram "web": command' "leaves a quote"
check "createBSDRCScript: the original's rcvar default" \
  "$L.createBSDRCScript { name = \"web\"; command = \"/bin/web\"; }" \
  "assert v == {'type': 'bsdrc-script', 'name': 'web', 'command': '/bin/web', 'rcvar': 'enabled'}, v"
check_error "createBSDRCScript refuses what nixproc does not write" \
  "$L.createBSDRCScript { name = \"web\"; command = \"/bin/web\"; fib = 1; }" 'createBSDRCScript "web": fib is not supported'
check "createCygrunsrvParams: path, environmentPath and type renamed" \
  "$L.createCygrunsrvParams { name = \"web\"; path = \"/bin/web\"; environmentPath = [ \"/usr\" ]; type = \"manual\"; }" \
  "assert v == {'type': 'cygrunsrv-service', 'name': 'web', 'process': '/bin/web', 'path': ['/usr'], 'serviceType': 'manual'}, v"
check_error "createCygrunsrvParams refuses a password" \
  "$L.createCygrunsrvParams { name = \"web\"; path = \"/bin/web\"; password = \"x\"; }" 'createCygrunsrvParams "web": password'
check "createProcessScript is createProcessConfig" \
  "$L.createProcessScript { name = \"web\"; process = \"/bin/web\"; pidFile = \"/run/web.pid\"; }" \
  "assert v == {'type': 'process', 'name': 'web', 'process': '/bin/web', 'pidFile': '/run/web.pid'}, v"
check "createDockerContainer: cmd as process and args, image settings dropped" \
  "$L.createDockerContainer { name = \"web\"; dockerImage = \"img\"; cmd = [ \"/bin/web\" \"-f\" ]; dockerCreateParameters = { cpus = 1; }; }" \
  "assert v == {'type': 'docker-container', 'name': 'web', 'process': '/bin/web', 'args': ['-f'], 'dockerCreateParameters': {'cpus': 1}, 'mapStateDirVolumes': ['/s'], 'containerCredentials': {}, 'hostPaths': ['/usr', '/opt/nixproc/libexec']}, v"
check_error "createDockerContainer refuses useHostNetwork = false" \
  "$L.createDockerContainer { name = \"web\"; cmd = [ \"/bin/web\" ]; useHostNetwork = false; }" "useHostNetwork = false"
check "s6-rc run as a file is its text, up as a path is read" \
  "[ ($L.createLongRunService { name = \"a\"; run = $L.writeTextFile { name = \"run\"; text = \"#!/bin/sh\"; executable = true; }; })
     ($L.createOneShotService { name = \"b\"; up = $NIXPROC_SOURCE/tests/compat-models/oneshot-up; }) ]" \
  "assert v[0]['run'] == '#!/bin/sh' and v[1]['up'].startswith('#!/usr/bin/execlineb'), v"
check "createServiceBundle: contents are names and dependencies" \
  "$L.createServiceBundle { name = \"all\"; contents = [ { name = \"a\"; } \"b\" ]; }" \
  "assert v == {'type': 's6-rc-service', 'name': 'all', 'serviceType': 'bundle', 'contents': ['a', 'b'], 'dependencies': ['a', 'b']}, v"
check_error "createLogServiceForLongRunService points to the automatic log service" \
  "$L.createLogServiceForLongRunService { name = \"a\"; }" "autoGenerateLogService"
check "the original's createLaunchdDaemon: plist keys at the top level" \
  "import $C/backends/launchd/create-launchd-daemon.nix { } { name = \"web\"; ProgramArguments = [ \"/bin/web\" \"-f\" ]; UserName = \"web\"; KeepAlive = true; }" \
  "assert v == {'type': 'launchd-daemon', 'name': 'web', 'process': '/bin/web', 'args': ['-f'], 'user': 'web', 'plist': {'KeepAlive': True}}, v"
check "the original's universal createManagedProcess applies its ids" \
  "import $C/create-managed-process/universal/create-managed-process-universal.nix { pkgs = { }; ids = { uids.web = 3; }; } { name = \"web\"; process = \"/bin/web\"; credentials.users.web = { }; }" \
  "assert v['credentials'] == {'groups': {}, 'users': {'web': {'uid': 3}}}, v"
check "the original's init-functions.nix gives nixproc's" \
  "import $C/backends/sysvinit/init-functions.nix { }" \
  "assert v.endswith('/init-functions'), v"
check "postInstall is kept by the original's constructors too" \
  "[ ($L.createSupervisordProgram { name = \"a\"; command = \"/a\"; postInstall = \"x\"; })
     ($L.createProcessScript { name = \"b\"; process = \"/b\"; postInstall = \"y\"; })
     ($L.createDockerContainer { name = \"c\"; cmd = [ \"/c\" ]; postInstall = \"z\"; }) ]" \
  "assert [x['postInstall'] for x in v] == ['x', 'y', 'z'], v"

check "createMultiProcessImage: the original's defaults" \
  "$L.createMultiProcessImage { name = \"m\"; exprFile = /x/processes.nix; processManager = \"sysvinit\"; }" \
  "assert v == {'type': 'nixproc-image', 'kind': 'multi', 'name': 'm', 'tag': 'latest', 'exprFile': '/x/processes.nix', 'processManager': 'sysvinit', 'interactive': True, 'manpages': False, 'forceDisableUserChange': False, 'stateDir': '/var', 'runtimeDir': '/var/run', 'extraParams': {}, 'idResourcesFile': None, 'idsFile': None, 'bootstrap': True, 'contents': []}, v"
check "createNixImage needs no model or process manager" \
  "($L.createNixImage { name = \"n\"; }).kind" "assert v == 'nix', v"
check_error "createMutableMultiProcessImage without exprFile" \
  "$L.createMutableMultiProcessImage { name = \"m\"; processManager = \"sysvinit\"; }" 'createMutableMultiProcessImage "m": exprFile'
check_error "createMultiProcessImage refuses runAsRoot" \
  "$L.createMultiProcessImage { name = \"m\"; exprFile = /x; processManager = \"s6\"; runAsRoot = \"\"; }" 'runAsRoot is not supported'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
