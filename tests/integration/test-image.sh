#!/bin/bash
# `nixproc image` for real with podman (the reference's T12): for each
# process manager an image can run here, privileged and with
# --force-disable-user-change, the webapps example's image is built, loaded
# and run on the host network; nginx answers for webapp.local; inside,
# `nixproc status` and the manager's own tools work; `podman stop` ends every
# process. Also: two builds give the same bytes, the image holds every
# library its executables load, and bad input leaves no archive.
. "$(dirname "$0")/podman.sh"

MODEL=$EXAMPLES/webapps-agnostic/processes.nix
PMS=${NIXPROC_IMAGE_PMS:-supervisord sysvinit disnix s6 runit}

# A container's processes, as ps inside it shows them.
inside() { podman exec nixproc-image-test "$@"; }

# run_image PM VARIANT [MODEL HOST PORT]: load, run, probe, stop, remove.
run_image() {
  local pm=$1 variant=$2 archive=$TEST_DIR/$1-$2.tar what="$1 ($2)" output
  local model=${3:-$MODEL} host=${4:-webapp.local} port=${5:-8080}
  [ -z "${3:-}" ] || what="$what, $(basename "$model")"
  local flags=()
  [ "$variant" = privileged ] || flags=(--force-disable-user-change)
  if ! output=$(nixproc image -P "$pm" "${flags[@]}" --name nixproc-image-test --tag "$pm" \
    -o "$archive" "$model" 2>&1); then
    fail "$what: nixproc image: $output"
    return
  fi
  pass "$what: the image is written"
  check "$what: podman loads it" podman load --quiet -i "$archive"
  if [ "$variant" = privileged ] && [ -z "${3:-}" ]; then
    check_contains "$what: the image has the model's users before it starts" \
      "$(podman run --rm --network host --entrypoint /bin/sh "nixproc-image-test:$pm" -c \
        'getent passwd webapp nginx' 2>&1)" "nginx:x:2000:2000:"
  fi
  check "$what: the container starts" podman run --detach --rm --network host \
    --name nixproc-image-test "nixproc-image-test:$pm"
  check_contains "$what: nginx answers for $host" "$(wait_page "$host" "$port")" "webapp"
  check "$what: nixproc status inside says every process runs" inside nixproc status
  case $pm in
    supervisord) check "$what: supervisorctl status inside" inside supervisorctl status ;;
    sysvinit) check "$what: an init script's status inside" inside sh -c \
      'for s in $(readlink -f /var/lib/nixproc/profiles/processes)/etc/rc.d/init.d/*; do "$s" status || exit 1; done' ;;
    s6) check_contains "$what: s6-svstat inside" \
      "$(inside sh -c 'for d in /var/run/nixproc-s6/service/*; do s6-svstat "$d"; done' 2>&1)" "up (pid" ;;
    runit) check_contains "$what: sv status inside" \
      "$(inside sh -c 'for d in /var/run/nixproc-runit/service/*; do sv status "$d"; done' 2>&1)" "run: " ;;
  esac
  if [ "$variant" = privileged ] && [ -z "${3:-}" ]; then
    check "$what: the model's users exist inside" inside getent passwd webapp
  fi
  check "$what: podman stop ends the container" podman stop --time 30 nixproc-image-test
  # --rm removes it right after it stopped.
  for ((i = 0; i < 50; i++)); do [ -z "$(podman ps --all --quiet)" ] && break; sleep 0.2; done
  check_equal "$what: no container is left" "$(podman ps --all --quiet)" ""
  check "$what: podman rmi" podman rmi --force "nixproc-image-test:$pm"
  rm -f "$archive"
}

for pm in $PMS; do
  for variant in privileged unprivileged; do run_image "$pm" "$variant"; done
done
# The advanced example: six webapps behind two nginx.
run_image supervisord privileged "$EXAMPLES/webapps-agnostic/processes-advanced.nix" webapp5.local 8081

# Reproducible: the same image twice, byte for byte.
nixproc image -P supervisord --name repro -o "$TEST_DIR/one.tar" "$MODEL" >/dev/null 2>&1
nixproc image -P supervisord --name repro -o "$TEST_DIR/two.tar" "$MODEL" >/dev/null 2>&1
check_equal "two builds of one image are identical" \
  "$(sha256sum <"$TEST_DIR/one.tar")" "$(sha256sum <"$TEST_DIR/two.tar")"

# The base layer (manager, nixproc, tools) is shared: the advanced example's
# image for the same manager differs only in its model layer.
nixproc image -P supervisord --name advanced -o "$TEST_DIR/advanced.tar" \
  "$EXAMPLES/webapps-agnostic/processes-advanced.nix" >/dev/null 2>&1
first_layer() { skopeo inspect "docker-archive:$1" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["Layers"][0], len(d["Layers"]))'; }
base_one=$(first_layer "$TEST_DIR/one.tar")
check_contains "an image has two layers" "$base_one" " 2"
check_equal "a second image shares the base layer" "$(first_layer "$TEST_DIR/advanced.tar")" "$base_one"
rm -f "$TEST_DIR/advanced.tar"

# Self-contained: inside, every library of every executable in the usual
# places is found (ldd says nothing is missing).
podman load --quiet -i "$TEST_DIR/one.tar" >/dev/null
missing=$(podman run --rm --network host repro:latest sh -c \
  'for f in /usr/bin/* /usr/sbin/* /usr/local/bin/* /usr/local/libexec/nixproc/*; do
     [ -f "$f" ] && [ ! -L "$f" ] && ldd "$f" 2>/dev/null | grep "not found" | sed "s|^|$f: |"
   done; true')
check_equal "every library the image's executables load is in it" "$missing" ""
podman rmi --force repro:latest >/dev/null 2>&1
rm -f "$TEST_DIR/two.tar"

# Software the model has Nix build comes along with its closure.
cat >"$TEST_DIR/built.nix" <<'NIX'
{ processManager ? "sysvinit", ... }@args:
let nixproc = import <nixproc> args; in
{
  built = {
    pkg = nixproc.createManagedProcess {
      name = "built";
      foregroundProcess = "${derivation {
        name = "image-built-sleeper";
        system = builtins.currentSystem;
        builder = "/bin/sh";
        PATH = "/bin";
        args = [ "-c" "printf '#!/bin/sh\\nexec sleep 10000\\n' >$out; chmod +x $out" ];
      }}";
    };
  };
}
NIX
check "a model with a derivation: the image is written" \
  nixproc image -P sysvinit --name built -o "$TEST_DIR/built.tar" "$TEST_DIR/built.nix"
podman load --quiet -i "$TEST_DIR/built.tar" >/dev/null
check "a model with a derivation: the container starts" \
  podman run --detach --rm --network host --name built built:latest
for ((i = 0; i < 100; i++)); do podman exec built nixproc status >/dev/null 2>&1 && break; sleep 0.2; done
check "a model with a derivation: its program runs from the image's /nix/store" \
  podman exec built sh -c 'nixproc status && ls /nix/store | grep -q image-built-sleeper'
check "a model with a derivation: podman stop" podman stop --time 30 built
podman rmi --force built:latest >/dev/null 2>&1
rm -f "$TEST_DIR/built.tar"

# The original's image functions: a description evaluated by nixproc image.
cat >"$TEST_DIR/described.nix" <<NIX
{ pkgs ? import <nixpkgs> { } }:
let
  createMultiProcessImage = import <nix-processmgmt/nixproc/create-image-from-steps/create-multi-process-image-universal.nix> {
    inherit pkgs;
  };
in
createMultiProcessImage {
  name = "described";
  tag = "test";
  exprFile = $MODEL;
  processManager = "sysvinit";
  forceDisableUserChange = true;
}
NIX
check "createMultiProcessImage: nixproc image writes it" nixproc image -o "$TEST_DIR/described.tar" "$TEST_DIR/described.nix"
check_contains "createMultiProcessImage: its name, tag and process manager" \
  "$(skopeo inspect "docker-archive:$TEST_DIR/described.tar" 2>&1 | tr -d ' \n')" '"nixproc.process-manager":"sysvinit"'
podman load --quiet -i "$TEST_DIR/described.tar" >/dev/null
check "createMultiProcessImage: the container starts" podman run --detach --rm --network host --name described described:test
check_contains "createMultiProcessImage: nginx answers" "$(wait_page webapp.local 8080)" "webapp"
check "createMultiProcessImage: podman stop" podman stop --time 30 described
podman rmi --force described:test >/dev/null 2>&1
rm -f "$TEST_DIR/described.tar"
cat >"$TEST_DIR/nix-image.nix" <<'NIX'
let nixproc = import <nixproc> { }; in nixproc.createNixImage { name = "nix-inside"; }
NIX
check "createNixImage: nixproc image writes it" nixproc image -o "$TEST_DIR/nix-image.tar" "$TEST_DIR/nix-image.nix"
podman load --quiet -i "$TEST_DIR/nix-image.tar" >/dev/null
check_equal "createNixImage: Nix evaluates inside" \
  "$(podman run --rm --network host nix-inside:latest nix-instantiate --eval -E '1 + 1' 2>/dev/null)" 2
podman rmi --force nix-inside:latest >/dev/null 2>&1
rm -f "$TEST_DIR/nix-image.tar"
sed 's/forceDisableUserChange = true;/runAsRoot = "echo hi";/' "$TEST_DIR/described.nix" >"$TEST_DIR/refused.nix"
output=$(nixproc image -o "$TEST_DIR/refused.tar" "$TEST_DIR/refused.nix" 2>&1)
check_contains "createMultiProcessImage: runAsRoot is refused, named" "$output" "runAsRoot is not supported"
check "createMultiProcessImage: no archive for it" test ! -e "$TEST_DIR/refused.tar"

# Rootless podman: the test user runs the images it builds (user changes
# inside need its subordinate IDs: uidmap and /etc/subuid), and deploys the
# webapps example with the docker backend.
if ensure_test_user && command -v newuidmap >/dev/null; then
  grep -q "^$TEST_USER:" /etc/subuid || usermod --add-subuids 300000-365535 "$TEST_USER"
  grep -q "^$TEST_USER:" /etc/subgid || usermod --add-subgids 300000-365535 "$TEST_USER"
  ROOTLESS=$TEST_DIR/rootless
  mkdir -p "$ROOTLESS/config/containers" "$ROOTLESS/run"
  sed '/^tmp_dir/d' "$PODMAN_DIR/containers.conf" >"$ROOTLESS/config/containers/containers.conf"
  printf '[storage]\ndriver = "vfs"\n' >"$ROOTLESS/config/containers/storage.conf"
  chown -R "$TEST_USER" "$ROOTLESS"
  chmod 700 "$ROOTLESS/run"
  rootless() {
    (cd "$ROOTLESS" && as_test_user env -u CONTAINERS_CONF -u CONTAINERS_STORAGE_CONF -u TMPDIR \
      HOME="$ROOTLESS" NIXPROC_HOME="$ROOTLESS/home" XDG_CONFIG_HOME="$ROOTLESS/config" XDG_DATA_HOME="$ROOTLESS/data" \
      XDG_RUNTIME_DIR="$ROOTLESS/run" "$@")
  }
  for variant in privileged unprivileged; do
    flags=()
    [ "$variant" = privileged ] || flags=(--force-disable-user-change)
    what="rootless podman, sysvinit ($variant)"
    check "$what: the test user builds the image" rootless nixproc image -P sysvinit "${flags[@]}" \
      --name rootless --tag "$variant" -o "$ROOTLESS/$variant.tar" "$MODEL"
    rootless podman load --quiet -i "$ROOTLESS/$variant.tar" >/dev/null 2>&1
    check "$what: the container starts" rootless podman run --detach --rm --network host \
      --name rootless "rootless:$variant"
    check_contains "$what: nginx answers" "$(wait_page webapp.local 8080)" "webapp"
    check "$what: podman stop" rootless podman stop --time 30 rootless
    rootless podman rmi --force "rootless:$variant" >/dev/null 2>&1
  done
  what="rootless podman, the docker backend"
  docker_switch() {
    rootless nixproc switch -P docker --docker-command podman --state-dir "$ROOTLESS/var" \
      --force-disable-user-change "$@"
  }
  check "$what: deploys the webapps example" docker_switch "$MODEL"
  check_contains "$what: nginx answers" "$(wait_page webapp.local 8080)" "webapp"
  check "$what: undeploys" docker_switch --undeploy
  check_equal "$what: no container is left" "$(rootless podman ps --all --quiet)" ""
  rootless podman rmi --all --force >/dev/null 2>&1
  rootless podman system reset --force >/dev/null 2>&1
  # Rootless podman leaves its pause process (named podman) to hold the
  # user namespace: the test user's, started here.
  pkill -KILL -u "$TEST_USER" -x podman 2>/dev/null
fi

# Options: no interactive tools, manual pages, extra contents.
echo "extra content" >"$TEST_DIR/extra.txt"
check "--no-interactive --manpages --contents: the image is written" nixproc image -P sysvinit \
  --no-interactive --manpages --contents "$TEST_DIR/extra.txt" --contents redis-tools \
  --name options -o "$TEST_DIR/options.tar" "$MODEL"
podman load --quiet -i "$TEST_DIR/options.tar" >/dev/null
check_equal "--no-interactive: no less, no .bashrc; --manpages: man and its pages; --contents: the file and the package" \
  "$(podman run --rm --network host options:latest sh -c '
     command -v less; test -e /root/.bashrc && echo bashrc
     command -v man; ls /usr/share/man/man1/sh.1.gz /usr/share/man/man1/dash.1.gz 2>/dev/null | head -1
     cat '"$TEST_DIR/extra.txt"'; command -v redis-cli' 2>&1)" \
  "$(printf '/usr/bin/man\n/usr/share/man/man1/dash.1.gz\nextra content\n/usr/bin/redis-cli')"
podman rmi --force options:latest >/dev/null 2>&1
rm -f "$TEST_DIR/options.tar"

# Bad input: one clear error, no archive, no staging directory left.
bad() {
  local what=$1 expected=$2 output
  shift 2
  output=$(nixproc image -o "$TEST_DIR/bad.tar" "$@" 2>&1)
  check "$what: fails" test $? -ne 0
  check_contains "$what: the error says so" "$output" "$expected"
  check_equal "$what: no archive or staging dir is left" \
    "$(ls "$TEST_DIR" | grep -c '^bad\.tar')" 0
}
bad "an unknown process manager" "an image cannot run process manager" -P bogus "$MODEL"
bad "a package that is not installed" "apt-get install nixproc-no-such-package" \
  --contents nixproc-no-such-package "$MODEL"
echo '{ x = throw "this model fails"; }' >"$TEST_DIR/failing.nix"
bad "a model that fails" "this model fails" "$TEST_DIR/failing.nix"

finish
