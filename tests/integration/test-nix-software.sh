#!/bin/bash
# Nix delivers the software (issue 12): a model's derivations and path
# literals are built and copied into a real Nix store before anything is
# deployed, the generated configs name paths that exist, a generation keeps
# them from Nix's garbage collector until it is deleted and `nixproc gc` ran,
# and a failing build changes nothing. As root against /nix/store, and as an
# unprivileged user against a private store in its nixproc home.
. "$(dirname "$0")/lib.sh"
for tool in nix-instantiate nix-store nginx curl; do
  command -v "$tool" >/dev/null || { echo "skipped: needs $tool"; exit 77; }
done

MODEL_DIR=$TEST_DIR/model
cp -r "$NIXPROC_SOURCE/tests/integration/nix-software" "$MODEL_DIR"
echo "$TEST_DIR" >"$MODEL_DIR/site/salt"  # this run's own copy of the site
chmod -R a+rX "$MODEL_DIR"
MODEL=$MODEL_DIR/processes.nix

# run_as WHO COMMAND...: as root, or as the unprivileged test user.
run_as() {
  local who=$1
  shift
  if [ "$who" = root ]; then "$@"; else as_test_user "$@"; fi
}

# missing_count PATH...: how many of the paths do not exist.
missing_count() {
  local n=0 path
  for path in "$@"; do [ -e "$path" ] || n=$((n + 1)); done
  echo "$n"
}

# collect PATH...: Nix's garbage collection, as $who: of the whole private
# store; in the system store only of the given paths (other tests may be
# between their evaluation and their build), each deleted unless alive.
collect() {
  if [ "$who" = root ]; then
    local path
    for path in "$@"; do nix-store --option build-users-group '' --delete "$path" >/dev/null 2>&1; done
    return 0
  fi
  run_as "$who" nix-store --store "local?store=$home/nix/store&state=$home/nix/var&log=$home/nix/log" --gc
}

# scenario WHO STATE_DIR NIXPROC_HOME
scenario() {
  local who=$1 state=$2 home=$3
  local web_port site_port params
  web_port=$(free_port)
  site_port=$(free_port)
  while [ "$site_port" = "$web_port" ]; do site_port=$(free_port); done
  # nx ARGS...: nixproc as WHO with this scenario's state dir and home.
  nx() { run_as "$who" env NIXPROC_HOME="$home" nixproc "$@"; }
  params() {  # params [EXTRA JSON FIELDS]
    echo "{\"webPort\": $web_port, \"sitePort\": $site_port, \"webapp\": \"$NIXPROC_BIN/webapp\", \"salt\": \"$TEST_DIR\"${1:+, $1}}"
  }
  sw() { nx switch --state-dir "$state" --force-disable-user-change "$@"; }
  status_of() { nx status "$1" | awk -v n="$1" '$1 == n && $2 == "running" { print $3 }'; }

  check "$who: switch builds the software and deploys it" sw --extra-params "$(params)" "$MODEL"
  check_contains "$who: the service built by a derivation answers" \
    "$(curl -s --max-time 5 "http://127.0.0.1:$web_port/")" "listening on port: $web_port"
  check_contains "$who: nginx serves the path literal's content" \
    "$(curl -s --max-time 5 "http://127.0.0.1:$site_port/index.html")" "static content from a path literal"
  check_contains "$who: nginx serves a derivation's output" \
    "$(curl -s --max-time 5 "http://127.0.0.1:$site_port/built.html")" "built by nix"

  local profile roots_file nix_paths store_dir
  profile=$(readlink -f "$home/profiles/processes")
  roots_file=$profile/nix-roots
  check "$who: the profile names its Nix GC roots" test -s "$roots_file"
  nix_paths=$(tail -n +2 "$roots_file")
  store_dir=/nix/store
  [ "$who" = root ] || store_dir=$home/nix/store
  check_contains "$who: the greeter was built in $store_dir" "$nix_paths" "$store_dir/"
  check_contains "$who: the site directory was copied there" "$nix_paths" "-site"
  check_equal "$who: every realised path exists" "$(missing_count $nix_paths)" 0
  check "$who: the nginx config names the copied site" grep -q "root $store_dir/[a-z0-9]*-site;" "$(grep -o "[^ ]*nginx.conf" <(tr '\0' ' ' <"/proc/$(status_of site)/cmdline"))"

  # Nix's garbage collector keeps what a generation uses.
  check "$who: a Nix garbage collection" collect $nix_paths
  check_equal "$who: after it every deployed path is still there" "$(missing_count $nix_paths)" 0
  check_contains "$who: and the service still answers" \
    "$(curl -s --max-time 5 "http://127.0.0.1:$web_port/")" "listening on port: $web_port"

  # A changed derivation restarts only the instance that uses it.
  local web_pid site_pid generations
  web_pid=$(status_of web)
  site_pid=$(status_of site)
  check "$who: a switch with a changed build" sw --extra-params "$(params '"marker": "two"')" "$MODEL"
  check "$who: restarted the changed service" test "$(status_of web)" != "$web_pid"
  check_equal "$who: and left nginx alone" "$(status_of site)" "$site_pid"
  web_pid=$(status_of web)

  # A failing build and a missing path literal change nothing.
  generations=$(sw --list-generations)
  local output
  # refused WHAT PROGRAM EXPECTED: the model with the broken instance running
  # PROGRAM (Nix) instead fails the switch with EXPECTED in its error, and
  # changes nothing.
  refused() {
    sed "s|foregroundProcess = \"\${broken}/bin/broken\";|foregroundProcess = $2;|" "$MODEL" >"$MODEL_DIR/refused.nix"
    output=$(sw --extra-params "$(params '"marker": "two", "failing": true')" "$MODEL_DIR/refused.nix" 2>&1)
    check "$who: $1 fails the switch" test $? -ne 0
    check_contains "$who: $1: the error says" "$output" "$3"
    check_equal "$who: $1: no generation added" "$(sw --list-generations)" "$generations"
    check_equal "$who: $1: the service untouched" "$(status_of web)" "$web_pid"
  }
  refused "a failing build" '"${broken}/bin/broken"' "software of instance bad"
  check_contains "$who: a failing build: the error names the derivation" "$output" "broken-software.drv"
  check_contains "$who: a failing build: and shows the build's output" "$output" "this build fails on purpose"
  refused "a missing path literal" '"${./no-such-program}"' "no-such-program"
  # A package the host lacks, and a nixpkgs feature the compatibility set lacks.
  run_as "$who" mkdir -p "$home/compat"
  echo "notInstalled nixproc-no-such-package" | run_as "$who" tee "$home/compat/package-table" >/dev/null
  refused "a package that is not installed" '"${pkgs.notInstalled}/bin/x"' \
    "apt-get install nixproc-no-such-package"
  refused "a nixpkgs feature the compatibility set lacks" \
    '"${pkgs.fetchurl { url = "http://example.org/x"; sha256 = ""; }}"' "fetchurl"
  refused "a nixpkgs package the table lacks" '"${pkgs.notInTheTable}/bin/x"' \
    "hint: if notInTheTable is a nixpkgs package"
  check_contains "$who: a package the table lacks: the hint names the user's table" "$output" \
    "$home/compat/package-table"

  # Undeploy, delete the generations, nixproc gc: the paths are released.
  nix_paths="$nix_paths $(tail -n +2 "$(readlink -f "$home/profiles/processes")/nix-roots")"
  check "$who: undeploy" sw --undeploy
  check "$who: delete the generations" sw --delete-all-generations
  check "$who: nixproc gc" nx gc
  check "$who: no Nix roots are left" test -z "$(ls "$home/nix-roots")"
  # pkgs.nginx is the host's nginx for every model in the store; the rest is this run's.
  [ "$who" = root ] && nix_paths=$(tr ' ' '\n' <<<"$nix_paths" | grep -v -- '-nginx-' | tr '\n' ' ')
  check "$who: a Nix garbage collection again" collect $nix_paths
  check_equal "$who: it removed every released path" "$(missing_count $nix_paths)" "$(wc -w <<<"$nix_paths")"
}

scenario root "$STATE" "$TEST_DIR/home"
if ensure_test_user; then
  mkdir -p "$TEST_DIR/user-var" "$TEST_DIR/user-home"
  chown "$TEST_USER" "$TEST_DIR/user-var" "$TEST_DIR/user-home"
  scenario "$TEST_USER" "$TEST_DIR/user-var" "$TEST_DIR/user-home"
fi
finish
