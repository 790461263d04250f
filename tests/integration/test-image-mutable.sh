#!/bin/bash
# A mutable image (`nixproc image --mutable`) with podman: the first start
# deploys the advanced example from /etc/nixproc with the Nix inside; after
# the model is edited inside the running container (webapp5 gets another
# port, webapp7 is added), `nixproc-sysvinit-switch` inside restarts only
# what changed and curl shows it; a restarted container runs the same
# generation again without deploying.
. "$(dirname "$0")/podman.sh"

C=nixproc-mutable-test
MODEL_DIR=$TEST_DIR/model
mkdir -p "$MODEL_DIR"
cp -r "$EXAMPLES/webapps-agnostic/." "$MODEL_DIR/"

inside() { podman exec "$C" "$@"; }
# pids: "name pid" per instance, as nixproc status inside says.
pids() { inside nixproc status 2>/dev/null | awk '$2 == "running" { print $1, $3 }' | sort; }
pid_of() { awk -v name="$2" '$1 == name { print $2 }' <<<"$1"; }
generations() { inside nixproc switch --list-generations 2>/dev/null | grep -c .; }

check "the mutable image is written" nixproc image --mutable -P sysvinit --name "$C" --tag test \
  -o "$TEST_DIR/mutable.tar" "$MODEL_DIR/processes-advanced.nix"
check "podman loads it" podman load --quiet -i "$TEST_DIR/mutable.tar"
check "the container starts" podman run --detach --network host --name "$C" "$C:test"
check_contains "the first start deployed the model: webapp5 answers" \
  "$(wait_page webapp5.local 8081 'port: 5005')" "port: 5005"
check_contains "and webapp1" "$(wait_page webapp1.local 8080 'port: 5001')" "port: 5001"
check_equal "one generation" "$(generations)" 1
check_contains "the model is in /etc/nixproc" "$(inside printenv NIXPROC_PROCESSES)" \
  "/etc/nixproc/processes-advanced.nix"
before=$(pids)

# Edit the model inside the running container and switch there.
inside sed -i 's/webapp5 = 5005;/webapp5 = 5105;/' /etc/nixproc/ids-advanced.nix
inside sed -i -e 's/webapps = \[ webapp5 webapp6 \];/webapps = [ webapp5 webapp6 webapp7 ];/' \
  -e 's/^  webapp6 = webappInstance 6;/  webapp6 = webappInstance 6;\n  webapp7 = webappInstance 7;/' \
  /etc/nixproc/processes-advanced.nix
check "nixproc-sysvinit-switch inside upgrades" inside nixproc-sysvinit-switch
check_contains "webapp5 answers on its new port" "$(wait_page webapp5.local 8081 'port: 5105')" "port: 5105"
check_contains "the added webapp7 answers" "$(wait_page webapp7.local 8081 'port: 5007')" "port: 5007"
after=$(pids)
for name in webapp1 webapp2 webapp3 webapp4 webapp6 nginx; do
  check_equal "$name kept its process" "$(pid_of "$after" $name)" "$(pid_of "$before" $name)"
done
for name in webapp5 nginx2; do
  check "$name was restarted" test "$(pid_of "$after" $name)" != "$(pid_of "$before" $name)"
done
check "webapp7 runs" test -n "$(pid_of "$after" webapp7)"
check_equal "two generations" "$(generations)" 2

# A restart resumes the last generation without deploying again.
check "podman stop" podman stop --time 30 "$C"
check "podman start" podman start "$C"
check_contains "after the restart webapp7 answers again" "$(wait_page webapp7.local 8081 'port: 5007')" "port: 5007"
check_contains "and webapp5 on its new port" "$(wait_page webapp5.local 8081 'port: 5105')" "port: 5105"
check_equal "still two generations" "$(generations)" 2

# Nix inside: an instance whose program is a derivation, built in the
# container's own store by its own Nix.
inside sed -i '$d' /etc/nixproc/processes-advanced.nix
podman exec -i "$C" sh -c 'cat >>/etc/nixproc/processes-advanced.nix' <<'NIX'
  built = {
    pkg = nixproc.createManagedProcess {
      name = "built";
      foregroundProcess = "${derivation {
        name = "built-sleeper";
        system = builtins.currentSystem;
        builder = "/bin/sh";
        PATH = "/bin";
        args = [ "-c" "printf '#!/bin/sh\\nexec sleep 10000\\n' >$out; chmod +x $out" ];
      }}";
    };
  };
}
NIX
check "a model with a derivation deploys inside" inside nixproc-sysvinit-switch
built=$(pid_of "$(pids)" built)
check "the derivation's program runs" test -n "$built"
program=$(inside sh -c 'tail -n +2 "$(readlink -f /var/lib/nixproc/profiles/processes)/nix-roots"')
check_contains "it was built in the container's /nix/store" "$program" "/nix/store/"
check_contains "it is the derivation's output" "$program" "-built-sleeper"
check "the container's Nix has it as a valid path" inside nix-store --verify-path "$program"
check "podman stop again" podman stop --time 30 "$C"
check "podman rm" podman rm "$C"
check "podman rmi" podman rmi --force "$C:test"

finish
