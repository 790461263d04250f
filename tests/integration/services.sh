# The services example (examples/services-agnostic/processes.nix) under every
# runnable backend: two webapps behind a host-based and a path-based nginx,
# two PostgreSQL and two Redis servers, a supervisord and an s6-svscan
# deployed as processes themselves. For each backend: deploy, use every
# service through its own client, switch with one change (redis2's port) and
# check that the others keep their PIDs, undeploy and check nothing is left.
# Sourced by test-services.sh (mode=unprivileged) and
# test-services-privileged.sh (mode=privileged) after lib.sh.
#
# unprivileged: deployed with --force-disable-user-change by the unprivileged
# test user when run as root (PostgreSQL refuses to run as root, so root
# cannot deploy it unprivileged), else by the user running the test.
# privileged (root): nixproc creates the instances' users first; PostgreSQL,
# Redis and the webapps run as theirs.
#
# NIXPROC_SERVICES_PMS narrows the backends (default: every runnable one).
# The data directories are kept across backends, so each PostgreSQL instance
# runs initdb once per test.
for program in nginx supervisord supervisorctl s6-svscan s6-svstat redis-server redis-cli psql; do
  command -v "$program" >/dev/null || { echo "skipped: $program is not installed"; exit 77; }
done
[ -x /usr/lib/postgresql/15/bin/postgres ] || { echo "skipped: PostgreSQL 15 is not installed"; exit 77; }
MODEL=$EXAMPLES/services-agnostic/processes.nix

pms=${NIXPROC_SERVICES_PMS:-$(runnable_pms)}

W1=$(free_port) W2=$(free_port) N1=$(free_port) N2=$(free_port)
P1=$(free_port) P2=$(free_port) R1=$(free_port) R2=$(free_port) S1=$(free_port)
ids() {  # ids REDIS2_PORT
  cat <<JSON
{"ids": {"webappPorts": {"webapp1": $W1, "webapp2": $W2}, "nginxPorts": {"nginx": $N1, "nginx2": $N2},
         "postgresqlPorts": {"postgresql1": $P1, "postgresql2": $P2},
         "redisPorts": {"redis1": $R1, "redis2": $1}, "inetHTTPPorts": {"supervisord1": $S1}}}
JSON
}
instances="webapp1 webapp2 nginx nginx2 postgresql1 postgresql2 redis1 redis2 supervisord1 s6-svscan1"

# The mode's deployer, state dir and the options its switches take.
set_mode() {
  mode=$1
  case $mode in
  unprivileged)
    if [ "$(id -u)" = 0 ]; then
      ensure_test_user || return 1
      S=$TEST_DIR/user-var
      install -d -o "$TEST_USER" "$S" "$TEST_DIR/user-home"
      as_deployer() { as_test_user "$@"; }
    else
      S=$STATE
      as_deployer() { "$@"; }
    fi
    mode_options=(--force-disable-user-change)
    # psql's peer authentication: initdb made the deploying user the superuser.
    as_db_user() { shift; as_deployer "$@"; }
    ;;
  privileged)
    S=$STATE
    as_deployer() { "$@"; }
    mode_options=()
    as_db_user() { local user=$1; shift; runuser -u "$user" -- "$@"; }
    ;;
  esac
}

switch() { as_deployer nixproc switch -P "$pm" --state-dir "$S" "${mode_options[@]}" "$@"; }
pid_of() { as_deployer nixproc status "$1" | awk -v name="$1" '$1 == name && $2 == "running" { print $3 }'; }

# as_db_user INSTANCE COMMAND...: as the instance's database superuser.
psql_query() {  # psql_query INSTANCE PORT SQL
  as_db_user "$1" psql -X -h "$S/run/$1" -p "$2" -d postgres -tAc "$3" 2>&1
}

# wait_for_pg INSTANCE PORT: PostgreSQL accepts connections (it opens its
# port before it finishes recovery or startup).
wait_for_pg() {
  local i
  for ((i = 0; i < 100; i++)); do
    [ "$(psql_query "$1" "$2" 'select 1')" = 1 ] && return 0
    sleep 0.2
  done
  return 1
}

# Processes left over: those that mention the test's dirs, and, when the
# test is the init of its own PID namespace (run-isolated.sh), any other.
leftovers() {
  test_processes
  [ $$ = 1 ] || return 0
  NIXPROC_TEST_SHELL=$$ python3 - <<'PY'
import os
skip = {1, os.getpid(), os.getppid()}
for name in os.listdir("/proc"):
    if not name.isdigit() or int(name) in skip:
        continue
    try:
        with open(f"/proc/{name}/stat", "rb") as f:
            if f.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                continue
        args = open(f"/proc/{name}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        continue
    print(name, args)
PY
}

run_backend() {
  local t="$pm ($mode)" name port out
  echo "# $t"
  check "$t: deploy" switch --extra-params "$(ids "$R2")" "$MODEL"
  for port in "$W1" "$W2" "$N1" "$N2" "$R1" "$R2" "$S1"; do
    wait_for_port "$port" || fail "$t: port $port opens"
  done

  # nginx, host- and path-based, in front of both webapps
  check_contains "$t: nginx routes webapp1.local" "$(http_get "$N1" webapp1.local)" "listening on port: $W1"
  check_contains "$t: nginx routes webapp2.local" "$(http_get "$N1" webapp2.local)" "listening on port: $W2"
  check_contains "$t: nginx2 routes /webapp1/" \
    "$(curl -sS --fail --max-time 5 "http://127.0.0.1:$N2/webapp1/")" "listening on port: $W1"
  check_contains "$t: nginx2 routes /webapp2/" \
    "$(curl -sS --fail --max-time 5 "http://127.0.0.1:$N2/webapp2/")" "listening on port: $W2"

  # PostgreSQL, through each instance's own socket directory
  for name in postgresql1:$P1 postgresql2:$P2; do
    check "$t: ${name%%:*} accepts connections" wait_for_pg "${name%%:*}" "${name#*:}"
    check_equal "$t: psql reaches ${name%%:*} on its own socket and port" \
      "$(psql_query "${name%%:*}" "${name#*:}" "select current_setting('port')")" "${name#*:}"
  done
  out=$(psql_query postgresql1 "$P1" "create table if not exists t (v text); insert into t values ('$pm'); select v from t where v = '$pm' limit 1")
  check_contains "$t: postgresql1 stores rows" "$out" "$pm"

  # Redis: separate instances
  check_equal "$t: redis1 answers PING" "$(redis-cli -p "$R1" ping)" PONG
  check_equal "$t: redis2 answers PING" "$(redis-cli -p "$R2" ping)" PONG
  redis-cli -p "$R1" set who redis1 >/dev/null
  redis-cli -p "$R2" set who redis2 >/dev/null
  check_equal "$t: redis1 keeps its value" "$(redis-cli -p "$R1" get who)" redis1
  check_equal "$t: redis2 keeps its own" "$(redis-cli -p "$R2" get who)" redis2

  # supervisord deployed as a process: its program runs, another is added
  local conf=$S/supervisord1/supervisord.conf
  check_contains "$t: supervisord1 runs its hello program" \
    "$(as_deployer supervisorctl -c "$conf" status hello)" RUNNING
  check_contains "$t: supervisord1 answers on its HTTP port" \
    "$(supervisorctl -s "http://127.0.0.1:$S1" status hello)" RUNNING
  printf '[program:added]\ncommand=/bin/sleep infinity\nstartsecs=0\n' |
    as_deployer tee "$S/supervisord1/conf.d/added.conf" >/dev/null
  as_deployer supervisorctl -c "$conf" update >/dev/null
  check_contains "$t: a program added to supervisord1's conf.d runs" \
    "$(as_deployer supervisorctl -c "$conf" status added)" RUNNING
  as_deployer rm -f "$S/supervisord1/conf.d/added.conf"
  as_deployer supervisorctl -c "$conf" update >/dev/null

  # s6-svscan deployed as a process: its hello service is up
  out=$(s6-svstat "$S/run/service1/hello" 2>&1)
  check_contains "$t: s6-svscan1 supervises its hello service" "$out" "up (pid"

  check "$t: status reports everything running" as_deployer nixproc status
  if [ "$mode" = privileged ]; then
    for name in postgresql1 redis2 webapp1; do
      check_equal "$t: $name runs as its own user" "$(stat -c %U "/proc/$(pid_of "$name")")" "$name"
    done
  fi

  # switch with one change: redis2 moves; nothing else restarts
  declare -A before after
  while read -r name state pid; do
    [ "$state" = running ] && before[$name]=$pid
  done < <(as_deployer nixproc status)
  check_equal "$t: every instance has a PID" "$(printf '%s\n' "${before[@]}" | grep -c '^[0-9][0-9]*$')" 10
  local R2b
  R2b=$(free_port)
  check "$t: switch with redis2 on another port" switch --extra-params "$(ids "$R2b")" "$MODEL"
  wait_for_port "$R2b"
  check_equal "$t: redis2 answers on its new port" "$(redis-cli -p "$R2b" get who)" redis2
  check "$t: redis2's old port is closed" port_closed "$R2"
  while read -r name state pid; do
    [ "$state" = running ] && after[$name]=$pid
  done < <(as_deployer nixproc status)
  check "$t: redis2 was restarted" test "${after[redis2]:-}" != "${before[redis2]}"
  for name in $instances; do
    [ "$name" = redis2 ] && continue
    check_equal "$t: $name kept its PID" "${after[$name]:-}" "${before[$name]}"
  done
  check_contains "$t: nginx still routes after the switch" "$(http_get "$N1" webapp2.local)" "listening on port: $W2"

  # undeploy: nothing is left
  check "$t: undeploy" switch --undeploy
  for port in "$W1" "$W2" "$N1" "$N2" "$P1" "$P2" "$R1" "$R2b" "$S1"; do
    port_closed "$port" || fail "$t: port $port is closed after undeploy"
  done
  sleep 0.3
  out=$(leftovers)
  check_equal "$t: no process is left" "$out" ""
}

if [ "$mode" = privileged ]; then
  for name in $instances; do
    case $name in supervisord1 | s6-svscan1) continue ;; esac
    note_new_accounts "$name"
  done
fi
trap remove_new_accounts EXIT

set_mode "$mode" || { echo "skipped: no unprivileged test user"; exit 77; }
for pm in $pms; do run_backend; done
if [ "$mode" = privileged ]; then
  check "the accounts were created" id postgresql1
  check_equal "postgresql1's data belong to its user" "$(stat -c %U "$S/db/postgresql1")" postgresql1
fi
