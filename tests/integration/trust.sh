# Shared by the test-trust-*.sh scripts: small models of real programs that
# each backend runs in its preferred form, and ways to find an instance's
# processes. Sourced after lib.sh.
HOLD=$NIXPROC_BIN/nixproc-test-hold
switch() { nixproc switch -P "$PM" --state-dir "$STATE" --force-disable-user-change "$@"; }
# The same, given two minutes at most (a hang fails instead of blocking).
bounded_switch() {
  timeout 120 nixproc switch -P "$PM" --state-dir "$STATE" --force-disable-user-change "$@"
}

# nginx_model FILE NAME PORT [INITIALIZE] [daemon-only]: one nginx instance
# NAME with two workers answering "NAME PORT" on PORT; a daemon for sysvinit
# and disnix, in the foreground under the supervisors (unless daemon-only:
# then they run it through its keeper's daemon mode). Its PID file is the
# daemon's own.
nginx_model() {
  local file=$1 name=$2 port=$3 initialize=${4:-} mode=${5:-}
  local dir=$TEST_DIR/nginx-$name
  mkdir -p "$dir/logs" "$dir/temp"
  cat >"$dir/nginx.conf" <<CONF
pid $STATE/run/$name.pid;
error_log $dir/logs/error.log;
worker_processes 2;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $dir/temp/body;
  proxy_temp_path $dir/temp/proxy;
  fastcgi_temp_path $dir/temp/fastcgi;
  uwsgi_temp_path $dir/temp/uwsgi;
  scgi_temp_path $dir/temp/scgi;
  server { listen 127.0.0.1:$port; location / { return 200 "$name $port\n"; } }
}
CONF
  python3 - "$file" "$name" "$dir" "$initialize" "$STATE/run/$name.pid" "$mode" <<'PY'
import json, sys
file, name, directory, initialize, pid_file, mode = sys.argv[1:]
args = ["-p", directory, "-c", directory + "/nginx.conf", "-e", directory + "/logs/error.log"]
if mode == "daemon-only":
    pkg = {"instanceName": name, "daemon": "/usr/sbin/nginx", "daemonArgs": args,
           "pidFile": pid_file}
else:
    pkg = {"instanceName": name, "process": "/usr/sbin/nginx", "args": args,
           "foregroundProcessExtraArgs": ["-g", "daemon off;"], "pidFile": pid_file}
if initialize:
    pkg["initialize"] = initialize
json.dump({name: {"pkg": pkg}}, open(file, "w"))
PY
}

# hold_model FILE NAME... : hold instances, in the foreground everywhere.
hold_model() {
  local file=$1 name first=1
  shift
  {
    echo "{"
    for name in "$@"; do
      [ -n "$first" ] || echo ","
      first=
      echo "\"$name\": {\"pkg\": {\"instanceName\": \"$name\", \"foregroundProcess\": \"$HOLD\"}}"
    done
    echo "}"
  } >"$file"
}

# How many nginx processes run (each test has its own PID namespace).
nginx_count() { pgrep -x nginx | wc -l; }

# The record-proved main PID of instance NAME (empty when it does not run).
main_pid() {
  timeout 20 nixproc status "$1" 2>/dev/null | awk -v name="$1" '$1 == name && $2 == "running" { print $3 }'
}

# The keeper (nixproc-foreground-proxy) of instance NAME in $STATE.
keeper_pid() {
  awk '$1 == "keeper" { print $2 }' "$STATE/run/nixproc-instances/$1/record" 2>/dev/null
}

# wait_until SECONDS COMMAND...: true once COMMAND succeeds.
wait_until() {
  local limit=$1 i
  shift
  for ((i = 0; i < limit * 10; i++)); do
    if "$@"; then return 0; fi
    sleep 0.1
  done
  return 1
}

# hold_port PORT: listens on PORT until killed; sets $port_holder.
hold_port() {
  python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
time.sleep(600)' "$1" &
  port_holder=$!
  wait_for_port "$1"
}

alive() { kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
gone() { ! alive "$1"; }
